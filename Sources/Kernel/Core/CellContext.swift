import Foundation

/// The `ExecutionContext` one execute_request gets: everything the cell emits
/// goes out on iopub with that request as parent.
final class CellContext: ExecutionContext {
    private let outbox: Outbox
    private let request: WireMessage
    private let allowStdin: Bool
    private let silent: Bool
    private let cancellation: CancellationFlag
    let executionCount: Int

    init(outbox: Outbox, request: WireMessage, executionCount: Int, allowStdin: Bool, silent: Bool,
         cancellation: CancellationFlag) {
        self.outbox = outbox
        self.request = request
        self.executionCount = executionCount
        self.allowStdin = allowStdin
        self.silent = silent
        self.cancellation = cancellation
    }

    var isCancelled: Bool { cancellation.isCancelled }

    func stream(_ name: StreamName, _ text: String) {
        guard !silent, !text.isEmpty else { return }
        publish("stream", ["name": .string(name.rawValue), "text": .string(text)])
    }

    func display(_ bundle: MimeBundle, displayID: String?) {
        guard !silent else { return }
        publish("display_data", Self.content(bundle, displayID: displayID))
    }

    func update(_ bundle: MimeBundle, displayID: String) {
        guard !silent else { return }
        publish("update_display_data", Self.content(bundle, displayID: displayID))
    }

    func clearOutput(wait: Bool) {
        guard !silent else { return }
        publish("clear_output", ["wait": .bool(wait)])
    }

    /// Sends input_request on stdin to the front end that sent the cell and waits
    /// for its input_reply, giving up with `InputInterrupted` on interrupt.
    func input(prompt: String, password: Bool) throws -> String {
        guard allowStdin else { throw StdinNotAllowed() }
        let transport = outbox.transport
        // Replies to an earlier, abandoned request must not answer this one.
        while transport.receiveStdin(timeout: 0) != nil {}
        outbox.send("input_request", ["prompt": JSONValue.string(prompt), "password": .bool(password)],
                    parent: request, on: .stdin)
        while !cancellation.isCancelled {
            guard let message = transport.receiveStdin(timeout: 0.05) else { continue }
            guard let header = try? message.decodedHeader(), header.msgType == "input_reply" else {
                KernelLog.error("ignoring a non input_reply message on stdin")
                continue
            }
            do {
                return try message.decodedContent(InputReply.self).value
            } catch {
                throw InputReplyMalformed(reason: String(describing: error))
            }
        }
        throw InputInterrupted()
    }

    private func publish(_ msgType: String, _ content: JSONValue) {
        outbox.send(msgType, content, parent: request, on: .iopub)
    }

    /// display_data / update_display_data content; the display id rides in `transient`.
    static func content(_ bundle: MimeBundle, displayID: String?) -> JSONValue {
        var content: [String: JSONValue] = [
            "data": KernelCore.data(bundle),
            "metadata": JSONValue(any: bundle.metadata),
        ]
        content["transient"] = displayID.map { ["display_id": .string($0)] } ?? .object([:])
        return .object(content)
    }
}
