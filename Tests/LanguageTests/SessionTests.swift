import XCTest
@testable import Language

final class SessionTests: XCTestCase {
    func testSessionStarts() { _ = Session() }
}
