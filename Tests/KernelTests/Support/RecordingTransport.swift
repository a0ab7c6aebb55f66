import Foundation
@testable import Kernel

/// An in-memory transport (after xeus's mock server): records what the core
/// sends and serves queued shell and stdin messages, so the core is tested without sockets.
final class RecordingTransport: KernelTransport {
    struct Sent {
        var channel: Channel
        var message: WireMessage
        var msgType: String { (try? message.decodedHeader().msgType) ?? "?" }
        var content: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: message.content)) ?? .null }
        var parentID: String? {
            (try? JSONDecoder().decode(JSONValue.self, from: message.parentHeader))?["msg_id"]?.stringValue
        }
    }

    private let lock = NSLock()
    private var log: [Sent] = []
    /// Everything sent so far; guarded because shell and control threads both send.
    var sent: [Sent] { lock.withLock { log } }
    /// Requests that "arrived" while a cell ran; `drainShell` hands them over.
    var queuedShell: [WireMessage] = []
    /// Answers the kernel's input_request: given the request's content, returns the reply to queue on stdin.
    var answerInput: ((JSONValue) -> WireMessage?)?
    private var queuedStdin: [WireMessage] = []

    func send(_ message: WireMessage, on channel: Channel) {
        let record = Sent(channel: channel, message: message)
        lock.withLock { log.append(record) }
        if channel == .stdin, let answer = answerInput?(record.content) {
            queuedStdin.append(answer)
        }
    }

    func drainShell() -> [WireMessage] {
        defer { queuedShell.removeAll() }
        return queuedShell
    }

    func receiveStdin(timeout: Double) -> WireMessage? {
        queuedStdin.isEmpty ? nil : queuedStdin.removeFirst()
    }

    func sent(on channel: Channel) -> [Sent] { sent.filter { $0.channel == channel } }

    /// iopub message types in order, e.g. ["status", "execute_input", "execute_result", "status"].
    var iopubTypes: [String] { sent(on: .iopub).map(\.msgType) }

    func reset() { lock.withLock { log.removeAll() } }
}

/// Builds request messages the way a front end would.
enum Request {
    static func make(_ msgType: String, _ content: JSONValue, id: String = UUID().uuidString,
                     identity: String = "client") -> WireMessage {
        let header = MessageHeader(msgID: id, session: "client-session", username: "tester", msgType: msgType)
        return WireMessage(identities: [Data(identity.utf8)], header: try! JSONEncoder().encode(header),
                           content: try! JSONEncoder().encode(content))
    }

    static func execute(_ code: String, silent: Bool = false, storeHistory: Bool = true,
                        stopOnError: Bool = true, allowStdin: Bool = true,
                        userExpressions: [String: String] = [:], id: String = UUID().uuidString) -> WireMessage {
        make("execute_request", ["code": .string(code), "silent": .bool(silent), "store_history": .bool(storeHistory),
                                 "stop_on_error": .bool(stopOnError), "allow_stdin": .bool(allowStdin),
                                 "user_expressions": .object(userExpressions.mapValues { .string($0) })], id: id)
    }
}
