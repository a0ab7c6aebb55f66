import Foundation
import XCTest
@testable import Kernel

final class KernelCoreExecuteTests: XCTestCase {
    var transport: RecordingTransport!
    var interpreter: ScriptedInterpreter!
    var core: KernelCore!

    override func setUp() {
        transport = RecordingTransport()
        interpreter = ScriptedInterpreter()
        core = KernelCore(interpreter: interpreter, transport: transport, history: HistoryStore(fileURL: nil),
                          session: "kernel-session")
    }

    func reply() -> RecordingTransport.Sent? { transport.sent(on: .shell).last }

    func testResultCellPublishesInSpecOrderAndCounts() {
        core.handle(Request.execute("1 + 2", id: "r1"), from: .shell)
        XCTAssertEqual(transport.iopubTypes, ["status", "execute_input", "execute_result", "status"])
        let iopub = transport.sent(on: .iopub)
        XCTAssertEqual(iopub.first?.content, ["execution_state": "busy"])
        XCTAssertEqual(iopub.last?.content, ["execution_state": "idle"])
        XCTAssertTrue(iopub.allSatisfy { $0.parentID == "r1" })
        XCTAssertEqual(iopub[2].content["data"], ["text/plain": "1 + 2"])
        XCTAssertEqual(iopub[2].content["execution_count"], 1)
        XCTAssertEqual(reply()?.msgType, "execute_reply")
        XCTAssertEqual(reply()?.content["status"], "ok")
        XCTAssertEqual(reply()?.content["execution_count"], 1)
        XCTAssertEqual(reply()?.parentID, "r1")
        // The reply goes back to the identity that asked.
        XCTAssertEqual(reply()?.message.identities, [Data("client".utf8)])
    }

    func testSilentAndUnstoredCellsDoNotAdvanceTheCount() {
        core.handle(Request.execute("a"), from: .shell)
        core.handle(Request.execute("b", silent: true), from: .shell)
        XCTAssertEqual(reply()?.content["execution_count"], 1)
        core.handle(Request.execute("c", storeHistory: false), from: .shell)
        XCTAssertEqual(reply()?.content["execution_count"], 1)
        core.handle(Request.execute("d"), from: .shell)
        XCTAssertEqual(reply()?.content["execution_count"], 2)
        XCTAssertEqual(interpreter.seenCounts, [1, 1, 1, 2])
        XCTAssertEqual(core.history.entries.map(\.source), ["a", "d"])
    }

    func testSilentCellPublishesNothingButStatus() {
        core.handle(Request.execute("print hi", silent: true), from: .shell)
        XCTAssertEqual(transport.iopubTypes, ["status", "status"])
    }

    func testErrorIsPublishedAndQueuedExecutesAreAborted() {
        transport.queuedShell = [Request.execute("queued 1", id: "q1"), Request.make("kernel_info_request", [:]),
                                 Request.execute("queued 2", id: "q2")]
        core.handle(Request.execute("fail", id: "f"), from: .shell)
        let replies = transport.sent(on: .shell)
        XCTAssertEqual(replies.map(\.msgType), ["execute_reply", "execute_reply", "kernel_info_reply", "execute_reply"])
        XCTAssertEqual(replies[0].content["status"], "error")
        XCTAssertEqual(replies[0].content["ename"], "NameError")
        XCTAssertEqual(replies[0].content["traceback"], ["line 1, column 1", "fail", "^"])
        XCTAssertEqual(replies[1].content["status"], "aborted")
        XCTAssertEqual(replies[1].parentID, "q1")
        XCTAssertEqual(replies[3].content["status"], "aborted")
        XCTAssertEqual(interpreter.executed, ["fail"])
        XCTAssertTrue(transport.iopubTypes.contains("error"))
        // The error counted, the aborted cells did not.
        core.handle(Request.execute("next"), from: .shell)
        XCTAssertEqual(reply()?.content["execution_count"], 2)
    }

    func testWithoutStopOnErrorQueuedCellsStillRun() {
        transport.queuedShell = [Request.execute("queued")]
        core.handle(Request.execute("fail", stopOnError: false), from: .shell)
        XCTAssertEqual(transport.sent(on: .shell).count, 1)
        XCTAssertEqual(transport.queuedShell.count, 1)
    }

    func testDisplayUpdateAndClearCarryDisplayID() {
        core.handle(Request.execute("show"), from: .shell)
        let iopub = transport.sent(on: .iopub)
        XCTAssertEqual(transport.iopubTypes, ["status", "execute_input", "display_data", "update_display_data", "status"])
        XCTAssertEqual(iopub[2].content["transient"], ["display_id": "d1"])
        XCTAssertEqual(iopub[2].content["metadata"], ["width": 4])
        XCTAssertEqual(iopub[3].content["data"], ["text/plain": "picture 2"])
        transport.reset()
        core.handle(Request.execute("clear"), from: .shell)
        XCTAssertEqual(transport.sent(on: .iopub)[2].content, ["wait": true])
    }

    func testPagerBecomesPayloadAndUserExpressionsAreEvaluated() {
        interpreter.variables["x"] = "5"
        core.handle(Request.execute("help", userExpressions: ["good": "x", "bad": "y"]), from: .shell)
        let content = reply()?.content
        XCTAssertEqual(content?["payload"], [["source": "page", "data": ["text/plain": "help text"], "start": 0]])
        XCTAssertEqual(content?["user_expressions"]?["good"], ["status": "ok", "data": ["text/plain": "5"], "metadata": [:]])
        XCTAssertEqual(content?["user_expressions"]?["bad"]?["status"], "error")
        XCTAssertEqual(content?["user_expressions"]?["bad"]?["ename"], "NameError")
    }

    func testInputRequestGoesOutOnStdinAndReplyIsUsed() {
        transport.answerInput = { content in
            XCTAssertEqual(content, ["prompt": "Name? ", "password": false])
            return Request.make("input_reply", ["value": "Ada"])
        }
        core.handle(Request.execute("ask", id: "ask"), from: .shell)
        let stdin = transport.sent(on: .stdin)
        XCTAssertEqual(stdin.map(\.msgType), ["input_request"])
        XCTAssertEqual(stdin.first?.parentID, "ask")
        XCTAssertEqual(stdin.first?.message.identities, [Data("client".utf8)])
        XCTAssertEqual(transport.sent(on: .iopub)[2].content["data"], ["text/plain": "hi Ada"])
    }

    func testInputIsRefusedWhenStdinIsNotAllowed() {
        core.handle(Request.execute("ask", allowStdin: false), from: .shell)
        XCTAssertEqual(reply()?.content["status"], "error")
        XCTAssertTrue(transport.sent(on: .stdin).isEmpty)
    }

    func testInterruptRequestStopsARunningCellFromAnotherThread() {
        let finished = expectation(description: "cell finished")
        let core = self.core!
        DispatchQueue.global().async {
            core.handle(Request.execute("wait"), from: .shell)
            finished.fulfill()
        }
        usleep(50_000)
        // interrupt_request arrives on control while the cell spins on the shell thread.
        XCTAssertFalse(core.cancellation.isCancelled)
        core.handle(Request.make("interrupt_request", [:]), from: .control)
        wait(for: [finished], timeout: 5)
        XCTAssertEqual(transport.sent(on: .shell).last?.content["ename"], "Interrupted")
        XCTAssertEqual(transport.sent(on: .control).last?.msgType, "interrupt_reply")
        // A new cell starts with the flag cleared.
        core.handle(Request.execute("after"), from: .shell)
        XCTAssertEqual(reply()?.content["status"], "ok")
    }
}
