import Foundation
import XCTest
@testable import Kernel

/// An echoing comm target: answers each comm_msg with its data doubled under "echo" and its buffers reversed.
private final class EchoTarget: CommTargetHandler {
    weak var comms: CommManager?
    var opened: [CommMessage] = []
    var closed: [String] = []
    var decision = CommOpenDecision.accept

    func commOpened(_ message: CommMessage, target: String) -> CommOpenDecision {
        opened.append(message)
        return decision
    }

    func commReceived(_ message: CommMessage) {
        comms?.send(CommMessage(commID: message.commID, data: ["echo": message.data],
                                metadata: ["version": "2.1.0"], buffers: message.buffers.reversed()))
    }

    func commClosed(_ message: CommMessage) { closed.append(message.commID) }
}

final class CommManagerTests: XCTestCase {
    var transport: RecordingTransport!
    var core: KernelCore!
    private var target: EchoTarget!

    override func setUp() {
        transport = RecordingTransport()
        core = KernelCore(interpreter: ScriptedInterpreter(), transport: transport, history: HistoryStore(fileURL: nil))
        target = EchoTarget()
        target.comms = core.comms
        core.comms.register(target: "echo", handler: target)
    }

    private func comm(_ type: String, _ content: JSONValue, id: String = UUID().uuidString, buffers: [Data] = []) {
        var message = Request.make(type, content, id: id)
        message.buffers = buffers
        core.handleComm(message)
    }

    func testOpenMessageAndCloseFromTheFrontEnd() throws {
        comm("comm_open", ["comm_id": "a", "target_name": "echo", "data": ["x": 1]], buffers: [Data([1, 2])])
        XCTAssertEqual(target.opened, [CommMessage(commID: "a", data: ["x": 1], buffers: [Data([1, 2])])])
        XCTAssertEqual(transport.iopubTypes, ["status", "status"], "an accepted comm is not closed")

        transport.reset()
        comm("comm_msg", ["comm_id": "a", "data": ["v": 7]], id: "msg-7", buffers: [Data([1]), Data([2, 3])])
        XCTAssertEqual(transport.iopubTypes, ["status", "comm_msg", "status"])
        let reply = transport.sent(on: .iopub)[1]
        XCTAssertEqual(reply.content, ["comm_id": "a", "data": ["echo": ["v": 7]]])
        XCTAssertEqual(reply.parentID, "msg-7", "replies quote the comm_msg that caused them (echo_update needs it)")
        XCTAssertEqual(reply.message.buffers, [Data([2, 3]), Data([1])])
        XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: reply.message.metadata), ["version": "2.1.0"])
        // Idle quotes the comm_msg too: ipywidgets counts pending messages by it.
        XCTAssertEqual(transport.sent(on: .iopub)[2].parentID, "msg-7")

        comm("comm_close", ["comm_id": "a", "data": [:]])
        XCTAssertEqual(target.closed, ["a"])
        XCTAssertFalse(core.comms.isOpen("a"))
    }

    func testCommInfoListsOpenCommsFilteredByTarget() {
        core.comms.register(target: "other", handler: target)
        comm("comm_open", ["comm_id": "a", "target_name": "echo", "data": [:]])
        comm("comm_open", ["comm_id": "b", "target_name": "other", "data": [:]])
        let kernelSide = core.comms.open(target: "echo", data: ["state": [:]], metadata: ["version": "2.1.0"],
                                         buffers: [Data([9])])
        XCTAssertEqual(kernelSide.count, 32)
        let opened = transport.sent(on: .iopub).last
        XCTAssertEqual(opened?.msgType, "comm_open")
        XCTAssertEqual(opened?.content["target_name"], "echo")
        XCTAssertEqual(opened?.message.buffers, [Data([9])])

        transport.reset()
        core.handleComm(Request.make("comm_info_request", [:]))
        XCTAssertEqual(transport.sent(on: .shell).last?.content,
                       ["status": "ok", "comms": ["a": ["target_name": "echo"], "b": ["target_name": "other"],
                                                  kernelSide: ["target_name": "echo"]]])
        core.handleComm(Request.make("comm_info_request", ["target_name": "other"]))
        XCTAssertEqual(transport.sent(on: .shell).last?.content, ["status": "ok", "comms": ["b": ["target_name": "other"]]])

        core.comms.close(commID: kernelSide)
        XCTAssertEqual(transport.sent(on: .iopub).last?.msgType, "comm_close")
        XCTAssertEqual(core.comms.openComms(target: "echo").keys.sorted(), ["a"])
    }

    func testRefusedAndUnknownTargetsAreClosedAtOnce() {
        target.decision = .close
        comm("comm_open", ["comm_id": "r", "target_name": "echo", "data": [:]])
        XCTAssertEqual(transport.iopubTypes, ["status", "comm_close", "status"])
        XCTAssertFalse(core.comms.isOpen("r"))
        // A message for it afterwards is ignored, not answered.
        transport.reset()
        comm("comm_msg", ["comm_id": "r", "data": [:]])
        XCTAssertEqual(transport.iopubTypes, ["status", "status"])
        // Content without comm_id is logged and dropped, no reply channel exists for it.
        comm("comm_msg", ["data": [:]])
        XCTAssertEqual(transport.sent(on: .shell).count, 0)
    }
}
