import Foundation

/// Maps each request to its handler, wraps it in busy/idle on iopub, and keeps
/// the kernel's state (execution count, history, the interrupt flag).
///
/// After xeus's `xkernel_core`: the core knows messages, not sockets. The
/// transport calls `handle` from the shell thread for shell requests and from
/// the control thread for control requests; only the control handlers
/// (kernel_info, shutdown, interrupt) may run while a cell is executing, and
/// they touch nothing but immutable state and atomics.
public final class KernelCore: @unchecked Sendable {
    let interpreter: Interpreter
    let outbox: Outbox
    let history: HistoryStore
    /// Cached once so the control thread never calls into the interpreter.
    let info: InterpreterInfo
    public let cancellation = CancellationFlag()
    /// The comms open now and the targets the language registered; its API is what the language uses.
    public let comms: CommManager

    /// The count the next stored cell will get minus one, as the spec counts.
    public internal(set) var executionCount = 0
    /// Requests taken off the shell socket after a failing cell; executes among them are aborted.
    var deferred: [WireMessage] = []
    /// The shell request being handled (a running cell), so a comm message handled beside it
    /// can give the kernel's status back to it; guarded by `statusLock`, which also orders the
    /// status messages of the two threads.
    private var runningShellRequest: WireMessage?
    private let statusLock = NSLock()
    /// Set by shutdown_request; the transport stops its loops when it sees it.
    public let shutdownRequested = AtomicFlag()
    /// Called on the thread that received shutdown_request, after the reply was sent.
    public var onShutdown: (@Sendable (_ restart: Bool) -> Void)?

    /// Requests answered on the control channel; everything else belongs on shell.
    static let controlRequests: Set<String> = ["kernel_info_request", "shutdown_request", "interrupt_request"]

    public init(interpreter: Interpreter, transport: KernelTransport, history: HistoryStore,
                session: String = UUID().uuidString.lowercased()) {
        self.interpreter = interpreter
        self.outbox = Outbox(transport: transport, session: session)
        self.history = history
        self.info = interpreter.info
        self.comms = CommManager(outbox: outbox)
    }

    /// Shell messages the transport hands to the comm thread instead of queueing them
    /// behind a running cell, so widgets answer while a cell executes.
    public static let commMessageTypes: Set<String> = ["comm_open", "comm_msg", "comm_close", "comm_info_request"]

    /// Handles one request from `channel`, then anything that stop_on_error set aside.
    public func handle(_ message: WireMessage, from channel: Channel) {
        process(message, from: channel, aborting: false)
        guard channel == .shell else { return }
        while !deferred.isEmpty {
            process(deferred.removeFirst(), from: .shell, aborting: true)
        }
    }

    /// Handles a comm message (`commMessageTypes`) from the comm thread: busy, the comm
    /// manager's handling, idle. It touches neither the execution count nor the deferred
    /// requests, so it may run while the shell thread executes a cell.
    public func handleComm(_ message: WireMessage) {
        process(message, from: .shell, aborting: false)
    }

    private func process(_ message: WireMessage, from channel: Channel, aborting: Bool) {
        let header: MessageHeader
        do {
            header = try message.decodedHeader()
        } catch {
            // Without a msg_type there is nothing to address a reply to.
            KernelLog.error("\(channel.rawValue): \(error); message dropped")
            return
        }
        let isComm = Self.commMessageTypes.contains(header.msgType)
        let isShellRequest = channel == .shell && !isComm
        statusLock.withLock {
            if isShellRequest { runningShellRequest = message }
            outbox.status("busy", parent: message)
        }
        defer {
            statusLock.withLock {
                if isShellRequest { runningShellRequest = nil }
                outbox.status("idle", parent: message)
                // A comm message handled while a cell runs ends with the kernel still busy:
                // front ends show the latest status they saw (JupyterLab's indicator does), and
                // "idle" there would say a running cell had finished.
                if isComm, let running = runningShellRequest { outbox.status("busy", parent: running) }
            }
        }
        do {
            try dispatch(message, type: header.msgType, from: channel, aborting: aborting)
        } catch {
            KernelLog.error("\(channel.rawValue): \(header.msgType) has malformed content: \(error)")
            // comm_open, comm_msg and comm_close have no reply to carry the error; the log has it.
            guard header.msgType.hasSuffix("_request") else { return }
            replyError(to: message, type: header.msgType, on: channel, name: "MalformedRequest",
                       value: "\(header.msgType) content is not valid: \(Self.describe(error))")
        }
    }

    private func dispatch(_ message: WireMessage, type: String, from channel: Channel, aborting: Bool) throws {
        if channel == .control && !Self.controlRequests.contains(type) {
            if type.hasSuffix("_request") {
                replyError(to: message, type: type, on: channel, name: "UnsupportedRequest",
                           value: "\(type) is not handled on the control channel")
            }
            return
        }
        switch type {
        case "kernel_info_request":
            outbox.reply(to: message, type: type, kernelInfoReply(), on: channel)
        case "execute_request":
            let request = try message.decodedContent(ExecuteRequest.self)
            if aborting {
                outbox.reply(to: message, type: type, ["status": "aborted"] as JSONValue, on: channel)
            } else {
                execute(request, message: message)
            }
        case "complete_request":
            complete(try message.decodedContent(CodeAtCursorRequest.self), message: message)
        case "inspect_request":
            inspect(try message.decodedContent(CodeAtCursorRequest.self), message: message)
        case "is_complete_request":
            isComplete(try message.decodedContent(IsCompleteRequest.self), message: message)
        case "history_request":
            answerHistory(try message.decodedContent(HistoryRequest.self), message: message)
        case "comm_info_request":
            // An absent or null target_name lists every comm (messaging spec 5.1).
            let target = try message.decodedContent(JSONValue.self)["target_name"]?.stringValue
            let comms = comms.openComms(target: target).mapValues { ["target_name": JSONValue.string($0)] as JSONValue }
            outbox.reply(to: message, type: type, ["status": "ok", "comms": .object(comms)] as JSONValue, on: channel)
        case "comm_open", "comm_msg", "comm_close":
            try comms.receive(type, message)
        case "shutdown_request":
            let request = try message.decodedContent(ShutdownRequest.self)
            cancellation.cancel()
            shutdownRequested.set()
            outbox.reply(to: message, type: type, ["status": "ok", "restart": .bool(request.restart)] as JSONValue,
                         on: channel)
            onShutdown?(request.restart)
        case "interrupt_request":
            cancellation.cancel()
            outbox.reply(to: message, type: type, ["status": "ok"] as JSONValue, on: channel)
        default:
            KernelLog.error("\(channel.rawValue): unknown msg_type '\(type)'")
            if type.hasSuffix("_request") {
                replyError(to: message, type: type, on: channel, name: "UnknownMessageType",
                           value: "this kernel does not handle \(type)")
            }
        }
    }

    func replyError(to message: WireMessage, type: String, on channel: Channel, name: String, value: String) {
        outbox.reply(to: message, type: type,
                     ["status": "error", "ename": .string(name), "evalue": .string(value), "traceback": []] as JSONValue,
                     on: channel)
    }

    /// A decoding error in words a person can act on (which key, where).
    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _):
            return "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(let type, let context):
            return "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' is not \(type)"
        case DecodingError.valueNotFound(_, let context):
            return "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' is null"
        case DecodingError.dataCorrupted(let context):
            return "not valid JSON (\(context.debugDescription))"
        default:
            return String(describing: error)
        }
    }
}
