import CZeroMQ
import Foundation
import XCTest
@testable import Kernel

/// The real sockets and threads, over ipc endpoints in a temporary directory
/// (no ports to collide with), driven by a raw ZeroMQ client.
final class ZMQServerTests: XCTestCase {
    var context: UnsafeMutableRawPointer!
    var connection: ConnectionInfo!
    var serverThread: Thread?
    let finished = DispatchSemaphore(value: 0)
    let codec = WireCodec(signer: try! MessageSigner(key: "test-key", schemeName: "hmac-sha256"))

    override func setUpWithError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zmq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        connection = ConnectionInfo(transport: "ipc", ip: directory.appendingPathComponent("k").path,
                                    shellPort: 1, iopubPort: 2, stdinPort: 3, controlPort: 4, hbPort: 5,
                                    key: "test-key")
        let server = try ZMQServer(connection: connection)
        let core = KernelCore(interpreter: ScriptedInterpreter(), transport: server,
                              history: HistoryStore(fileURL: nil), session: server.session)
        let finished = self.finished
        serverThread = Thread {
            server.run(core)
            finished.signal()
        }
        serverThread?.start()
        context = zmq_ctx_new()
    }

    override func tearDown() {
        zmq_ctx_term(context)
    }

    func socket(_ type: Int32, port: Int) throws -> ZMQSocket {
        let socket = try ZMQSocket(context: context, type: type, name: "client")
        try socket.setOption(ZMQ_LINGER, Int32(0))
        try socket.connect(connection.endpoint(port: port))
        return socket
    }

    func receive(_ socket: ZMQSocket, seconds: Int = 5) throws -> (MessageHeader, JSONValue) {
        XCTAssertTrue(socket.poll(timeoutMilliseconds: seconds * 1000), "nothing arrived")
        let message = try codec.decode(try XCTUnwrap(socket.receive()))
        return (try message.decodedHeader(), try JSONDecoder().decode(JSONValue.self, from: message.content))
    }

    func request(_ type: String, _ content: JSONValue = [:]) -> [Data] {
        codec.encode(Request.make(type, content).withoutIdentities)
    }

    func testChannelsAnswerAndShutdownStopsTheServer() throws {
        let iopub = try socket(ZMQ_SUB, port: connection.iopubPort)
        try iopub.setOption(ZMQ_SUBSCRIBE, "")
        let (welcome, subscription) = try receive(iopub)
        XCTAssertEqual(welcome.msgType, "iopub_welcome")
        XCTAssertEqual(subscription, ["subscription": ""])

        let heartbeat = try socket(ZMQ_REQ, port: connection.hbPort)
        heartbeat.send([Data("ping".utf8)])
        XCTAssertTrue(heartbeat.poll(timeoutMilliseconds: 5000))
        XCTAssertEqual(heartbeat.receive(), [Data("ping".utf8)])

        let shell = try socket(ZMQ_DEALER, port: connection.shellPort)
        shell.send([Data("garbage".utf8)])
        var forged = request("kernel_info_request")
        forged[1] = Data(String(repeating: "0", count: 64).utf8)
        shell.send(forged)
        shell.send(request("execute_request", ["code": "1 + 2"]))
        let (replyHeader, reply) = try receive(shell)
        XCTAssertEqual(replyHeader.msgType, "execute_reply")
        XCTAssertEqual(reply["execution_count"], 1)
        var published: [String] = []
        while published.last != "status" || published.count < 4 {
            published.append(try receive(iopub).0.msgType)
        }
        XCTAssertEqual(published, ["status", "execute_input", "execute_result", "status"])

        let control = try socket(ZMQ_DEALER, port: connection.controlPort)
        control.send(request("shutdown_request", ["restart": false]))
        let (shutdownHeader, shutdown) = try receive(control)
        XCTAssertEqual(shutdownHeader.msgType, "shutdown_reply")
        XCTAssertEqual(shutdown, ["status": "ok", "restart": false])
        for socket in [iopub, heartbeat, shell, control] { socket.close() }
        XCTAssertEqual(finished.wait(timeout: .now() + 5), .success, "server did not stop after shutdown")
    }
}

private extension WireMessage {
    /// DEALER clients send no routing identities; the ROUTER adds them.
    var withoutIdentities: WireMessage {
        var copy = self
        copy.identities = []
        return copy
    }
}
