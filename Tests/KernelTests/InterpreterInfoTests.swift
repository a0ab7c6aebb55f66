import XCTest
@testable import Kernel

final class InterpreterInfoTests: XCTestCase {
    func testCompletenessEquality() {
        XCTAssertEqual(Completeness.incomplete(indent: "  "), .incomplete(indent: "  "))
        XCTAssertNotEqual(Completeness.complete, .invalid)
    }
}
