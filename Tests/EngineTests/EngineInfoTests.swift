import XCTest
@testable import Engine

final class EngineInfoTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(EngineInfo.version.split(separator: ".").count, 3)
    }
}
