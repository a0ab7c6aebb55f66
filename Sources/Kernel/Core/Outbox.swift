import Foundation

/// Builds outgoing messages (header, parent, JSON content) and hands them to the transport.
///
/// Shared by the shell and control threads; it holds only immutable state.
public final class Outbox: @unchecked Sendable {
    public let transport: KernelTransport
    /// This kernel's session id, stamped on every header it writes.
    public let session: String
    private static let emptyObject = Data("{}".utf8)

    public init(transport: KernelTransport, session: String) {
        self.transport = transport
        self.session = session
    }

    /// Sends `content` as `msgType` on `channel`, quoting `parent`'s raw header;
    /// `buffers` go out as extra frames after the content (comm messages of widgets).
    public func send<Content: Encodable>(_ msgType: String, _ content: Content, parent: WireMessage?,
                                         on channel: Channel, metadata: JSONValue? = nil, buffers: [Data] = []) {
        let header = MessageHeader(session: session, msgType: msgType)
        let identities: [Data]
        switch channel {
        case .iopub: identities = [Data("kernel.\(session).\(msgType)".utf8)]
        case .shell, .control, .stdin: identities = parent?.identities ?? []
        }
        let message = WireMessage(identities: identities,
                                  header: Self.encode(header),
                                  parentHeader: parent?.header ?? Self.emptyObject,
                                  metadata: metadata.map { Self.encode($0) } ?? Self.emptyObject,
                                  content: Self.encode(content), buffers: buffers)
        transport.send(message, on: channel)
    }

    /// Publishes a status message (busy or idle) about `parent`.
    public func status(_ state: String, parent: WireMessage?) {
        send("status", ["execution_state": JSONValue.string(state)], parent: parent, on: .iopub)
    }

    /// Replies to `request` with `<type>_reply` on the channel it came from.
    public func reply<Content: Encodable>(to request: WireMessage, type requestType: String, _ content: Content,
                                          on channel: Channel) {
        send(Self.replyType(for: requestType), content, parent: request, on: channel)
    }

    /// `execute_request` -> `execute_reply`; anything else gets `_reply` appended after its stem.
    public static func replyType(for requestType: String) -> String {
        if requestType.hasSuffix("_request") {
            return String(requestType.dropLast("_request".count)) + "_reply"
        }
        return requestType + "_reply"
    }

    /// JSON for the wire; encoding our own types cannot fail, but if it did
    /// the message still goes out as `{}` and the failure is logged.
    static func encode<Value: Encodable>(_ value: Value) -> Data {
        do {
            return try JSONEncoder().encode(value)
        } catch {
            KernelLog.error("could not encode \(Value.self): \(error)")
            return emptyObject
        }
    }
}
