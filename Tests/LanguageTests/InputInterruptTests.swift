import XCTest
@testable import Language

/// An interrupt while input() waits is the same action as any other interrupt: ename
/// Interrupted and the same message, whatever error the channel that waited gave.
final class InputInterruptTests: XCTestCase {
    /// An output whose reader fails the way the kernel's does when interrupted mid-wait.
    private final class InterruptedReader: CellOutput {
        struct ChannelGaveUp: Error {}
        var cancelled = false
        func write(_ text: String, toStandardError: Bool) {}
        func display(_ bundle: DisplayBundle, id: String?) {}
        func update(_ bundle: DisplayBundle, id: String) {}
        func clearOutput(wait: Bool) {}
        func readLine(prompt: String, password: Bool) throws -> String {
            cancelled = true
            throw ChannelGaveUp()
        }
        var isCancelled: Bool { cancelled }
    }

    func testInterruptDuringInputIsInterruptedAndKeepsVariables() {
        let session = Session()
        XCTAssertNil(run("x = 5", in: session).error)
        guard case .failure(let error, _) = session.execute("name = input(\"Your name? \")", output: InterruptedReader()) else {
            return XCTFail("input should fail when interrupted")
        }
        XCTAssertEqual(error.kind, .interrupted)
        XCTAssertEqual(error.kind.rawValue, "Interrupted")
        // The same words as an interrupt anywhere else in a cell.
        let elsewhere = InterruptedReader()
        elsewhere.cancelled = true
        guard case .failure(let other, _) = session.execute("sleep(1)", output: elsewhere) else { return XCTFail() }
        XCTAssertEqual(other.kind, error.kind)
        XCTAssertEqual(other.message, error.message)
        XCTAssertEqual(result("x", in: session), "5")
        XCTAssertNil(session.variables["name"])
    }

    /// Without an interrupt, a front end that cannot answer stays an IOError.
    func testInputWithoutAFrontEndIsStillAnIOError() {
        let error = failure("input(\"?\")")
        XCTAssertEqual(error?.kind, .io)
    }
}
