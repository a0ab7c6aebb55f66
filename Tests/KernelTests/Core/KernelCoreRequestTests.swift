import Foundation
import XCTest
@testable import Kernel

final class KernelCoreRequestTests: XCTestCase {
    var transport: RecordingTransport!
    var core: KernelCore!

    override func setUp() {
        transport = RecordingTransport()
        core = KernelCore(interpreter: ScriptedInterpreter(), transport: transport, history: HistoryStore(fileURL: nil))
    }

    func ask(_ type: String, _ content: JSONValue, on channel: Channel = .shell) -> RecordingTransport.Sent? {
        transport.reset()
        core.handle(Request.make(type, content), from: channel)
        return transport.sent(on: channel).last
    }

    func testKernelInfoOnShellAndControl() {
        for channel in [Channel.shell, .control] {
            let reply = ask("kernel_info_request", [:], on: channel)
            XCTAssertEqual(reply?.msgType, "kernel_info_reply")
            XCTAssertEqual(reply?.content["protocol_version"], "5.4")
            XCTAssertEqual(reply?.content["language_info"]?["name"], "convlens")
            XCTAssertEqual(reply?.content["language_info"]?["file_extension"], ".cvl")
            XCTAssertEqual(reply?.content["help_links"], [["text": "Docs", "url": "https://example.org"]])
            XCTAssertEqual(transport.iopubTypes, ["status", "status"])
        }
        let header = try? transport.sent.last?.message.decodedHeader()
        XCTAssertEqual(header?.version, "5.4")
    }

    func testCompleteInspectAndIsComplete() {
        let completion = ask("complete_request", ["code": "pri", "cursor_pos": 3])
        XCTAssertEqual(completion?.content["matches"], ["print"])
        XCTAssertEqual(completion?.content["cursor_end"], 3)
        XCTAssertEqual(completion?.content["metadata"]?["_jupyter_types_experimental"],
                       [["text": "print", "type": "function", "start": 0, "end": 3]])
        // A cursor past the end is clamped rather than trusted.
        XCTAssertEqual(ask("complete_request", ["code": "pr", "cursor_pos": 99])?.content["cursor_end"], 2)

        let found = ask("inspect_request", ["code": "print", "cursor_pos": 2, "detail_level": 1])
        XCTAssertEqual(found?.content["found"], true)
        XCTAssertEqual(found?.content["data"], ["text/plain": "print(x): long"])
        XCTAssertEqual(ask("inspect_request", ["code": "zzz", "cursor_pos": 1])?.content["found"], false)

        XCTAssertEqual(ask("is_complete_request", ["code": "x = ["])?.content, ["status": "incomplete", "indent": "  "])
        XCTAssertEqual(ask("is_complete_request", ["code": "x = )"])?.content, ["status": "invalid"])
        XCTAssertEqual(ask("is_complete_request", ["code": "x = 1"])?.content, ["status": "complete"])
    }

    func testCommsAreListedEmptyAndUnknownTargetsClosed() {
        XCTAssertEqual(ask("comm_info_request", [:])?.content, ["status": "ok", "comms": [:]])
        transport.reset()
        core.handle(Request.make("comm_open", ["comm_id": "c1", "target_name": "nothing", "data": [:]]), from: .shell)
        XCTAssertEqual(transport.iopubTypes, ["status", "comm_close", "status"])
        XCTAssertEqual(transport.sent(on: .iopub)[1].content, ["comm_id": "c1", "data": [:]])
    }

    func testUnknownRequestAndMalformedContentGetErrorReplies() {
        let unknown = ask("frobnicate_request", [:])
        XCTAssertEqual(unknown?.msgType, "frobnicate_reply")
        XCTAssertEqual(unknown?.content["ename"], "UnknownMessageType")
        let missing = ask("execute_request", ["silent": false])
        XCTAssertEqual(missing?.msgType, "execute_reply")
        XCTAssertEqual(missing?.content["status"], "error")
        XCTAssertEqual(missing?.content["evalue"], "execute_request content is not valid: missing field 'code'")
        var garbage = Request.make("complete_request", [:])
        garbage.content = Data("{not json".utf8)
        transport.reset()
        core.handle(garbage, from: .shell)
        XCTAssertEqual(transport.sent(on: .shell).last?.content["ename"], "MalformedRequest")
        // A message whose header has no msg_type cannot be answered and is dropped.
        transport.reset()
        core.handle(WireMessage(header: Data("{}".utf8)), from: .shell)
        XCTAssertTrue(transport.sent.isEmpty)
    }

    func testExecuteOnControlIsRefusedNotRun() {
        let reply = ask("execute_request", ["code": "1"], on: .control)
        XCTAssertEqual(reply?.content["ename"], "UnsupportedRequest")
    }

    func testInterruptAndShutdownOnControl() {
        XCTAssertEqual(ask("interrupt_request", [:], on: .control)?.content, ["status": "ok"])
        XCTAssertTrue(core.cancellation.isCancelled)
        let restarted = AtomicFlag()
        core.onShutdown = { restart in if restart { restarted.set() } }
        XCTAssertEqual(ask("shutdown_request", ["restart": true], on: .control)?.content,
                       ["status": "ok", "restart": true])
        XCTAssertTrue(core.shutdownRequested.isSet)
        XCTAssertTrue(restarted.isSet)
    }
}
