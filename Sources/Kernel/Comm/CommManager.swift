import Foundation

/// The kernel's comms (Jupyter messaging spec, "Custom Messages"): the open comms
/// and their targets, the handlers the language registered per target, and the API
/// through which the language opens comms, sends on them and closes them.
///
/// Thread-safety: the shell thread (a running cell opening a widget) and the comm
/// thread (handling front-end messages, see `ZMQServer`) both call in; the table of
/// comms is guarded by a lock, and sending goes through `Outbox`, which is safe from
/// any thread. The parent a sent message quotes is the comm message being handled on
/// the calling thread, else the execute_request of the running cell, so front ends
/// attach replies (echo_update, idle) and outputs to what caused them.
public final class CommManager: @unchecked Sendable {
    private let outbox: Outbox
    private let lock = NSLock()
    /// comm id -> target name, for every comm open now.
    private var targetsByComm: [String: String] = [:]
    private var handlers: [String: CommTargetHandler] = [:]
    private var cellParent: WireMessage?
    private static let parentKey = "convlens.comm.parent"

    init(outbox: Outbox) {
        self.outbox = outbox
    }

    /// Routes comms the front end opens on `target` to `handler` (replacing any earlier one).
    public func register(target: String, handler: CommTargetHandler) {
        lock.withLock { handlers[target] = handler }
    }

    /// Opens a comm from the kernel side: comm_open on iopub with `data`, `metadata` as the
    /// message metadata and `buffers` as extra frames. Returns the comm id (a fresh UUID hex
    /// when `commID` is nil), which is also the widget model id for `jupyter.widget`.
    @discardableResult
    public func open(target: String, data: JSONValue, metadata: JSONValue = [:], buffers: [Data] = [],
                     commID: String? = nil) -> String {
        let id = commID ?? UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        lock.withLock { targetsByComm[id] = target }
        outbox.send("comm_open", ["comm_id": .string(id), "target_name": .string(target), "data": data] as JSONValue,
                    parent: currentParent, on: .iopub, metadata: metadata, buffers: buffers)
        return id
    }

    /// Sends comm_msg on an open comm; a comm the front end already closed is skipped
    /// (with a log line), since nobody is listening on it any more.
    public func send(_ message: CommMessage) {
        guard isOpen(message.commID) else {
            KernelLog.info("comm \(message.commID) is closed; message not sent")
            return
        }
        outbox.send("comm_msg", ["comm_id": .string(message.commID), "data": message.data] as JSONValue,
                    parent: currentParent, on: .iopub, metadata: message.metadata, buffers: message.buffers)
    }

    /// Closes a comm from the kernel side (comm_close on iopub); unknown ids are ignored.
    public func close(commID: String, data: JSONValue = [:]) {
        guard lock.withLock({ targetsByComm.removeValue(forKey: commID) }) != nil else { return }
        outbox.send("comm_close", ["comm_id": .string(commID), "data": data] as JSONValue,
                    parent: currentParent, on: .iopub)
    }

    public func isOpen(_ commID: String) -> Bool {
        lock.withLock { targetsByComm[commID] != nil }
    }

    /// Open comms and their targets; only those of `target` when it is given (comm_info_request).
    public func openComms(target: String? = nil) -> [String: String] {
        let all = lock.withLock { targetsByComm }
        guard let target else { return all }
        return all.filter { $0.value == target }
    }

    // MARK: Called by the core

    /// Set by the core around a cell, so comms a cell opens quote its execute_request.
    func setCellParent(_ message: WireMessage?) {
        lock.withLock { cellParent = message }
    }

    /// Handles comm_open, comm_msg or comm_close from a front end, calling the target's
    /// handler with this message as the parent of whatever it sends.
    func receive(_ type: String, _ message: WireMessage) throws {
        let content = try message.decodedContent(JSONValue.self)
        guard let commID = content["comm_id"]?.stringValue else {
            throw CommContentError(type: type, reason: "missing string field 'comm_id'")
        }
        let metadata = (try? JSONDecoder().decode(JSONValue.self, from: message.metadata)) ?? [:]
        let incoming = CommMessage(commID: commID, data: content["data"] ?? [:], metadata: metadata,
                                   buffers: message.buffers)
        switch type {
        case "comm_open":
            guard let target = content["target_name"]?.stringValue else {
                throw CommContentError(type: type, reason: "missing string field 'target_name'")
            }
            guard let handler = lock.withLock({ handlers[target] }) else {
                KernelLog.info("no comm target '\(target)'; closing comm \(commID)")
                reject(commID, parent: message)
                return
            }
            lock.withLock { targetsByComm[commID] = target }
            let decision = withParent(message) { handler.commOpened(incoming, target: target) }
            if case .close = decision {
                lock.withLock { _ = targetsByComm.removeValue(forKey: commID) }
                reject(commID, parent: message)
            }
        case "comm_msg":
            guard let handler = handler(for: commID) else {
                KernelLog.info("comm_msg for unknown comm \(commID); ignored")
                return
            }
            withParent(message) { handler.commReceived(incoming) }
        default:
            guard let handler = handler(for: commID) else { return }
            lock.withLock { _ = targetsByComm.removeValue(forKey: commID) }
            withParent(message) { handler.commClosed(incoming) }
        }
    }

    private func handler(for commID: String) -> CommTargetHandler? {
        lock.withLock { targetsByComm[commID].flatMap { handlers[$0] } }
    }

    private func reject(_ commID: String, parent: WireMessage) {
        outbox.send("comm_close", ["comm_id": .string(commID), "data": [:]] as JSONValue, parent: parent, on: .iopub)
    }

    /// The parent for messages sent from this thread now (see the type's comment).
    private var currentParent: WireMessage? {
        if let box = Thread.current.threadDictionary[Self.parentKey] as? ParentBox { return box.message }
        return lock.withLock { cellParent }
    }

    private func withParent<T>(_ message: WireMessage, _ body: () -> T) -> T {
        let dictionary = Thread.current.threadDictionary
        let previous = dictionary[Self.parentKey]
        dictionary[Self.parentKey] = ParentBox(message)
        defer { dictionary[Self.parentKey] = previous }
        return body()
    }
}

/// Holds a message in a thread dictionary, which wants an object.
private final class ParentBox {
    let message: WireMessage
    init(_ message: WireMessage) { self.message = message }
}

/// A comm message whose content lacks what the spec requires; the core answers with its text.
struct CommContentError: Error, CustomStringConvertible {
    var type: String
    var reason: String
    var description: String { "\(type): \(reason)" }
}
