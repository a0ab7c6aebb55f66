import Foundation

/// One comm message as the comm API hands it around: its JSON `data`, the message
/// metadata, and the binary buffers that travel as extra ZeroMQ frames after the
/// content (outside the HMAC, as the Jupyter wire spec lays out).
public struct CommMessage: Sendable, Equatable {
    public var commID: String
    public var data: JSONValue
    public var metadata: JSONValue
    public var buffers: [Data]

    public init(commID: String, data: JSONValue = [:], metadata: JSONValue = [:], buffers: [Data] = []) {
        self.commID = commID
        self.data = data
        self.metadata = metadata
        self.buffers = buffers
    }
}

/// What the language answers to a comm the front end opens on one of its targets.
public enum CommOpenDecision: Sendable {
    /// The comm stays open and its later messages reach the handler.
    case accept
    /// The kernel sends comm_close at once (ipykernel does so for unknown targets),
    /// so a front end probing an optional target does not wait for a reply.
    case close
}

/// The receiving side of a comm target, implemented by the language's adapter.
///
/// Every method is called on the kernel's one comm thread, one message at a time,
/// possibly while a cell runs on the shell thread; implementations protect what
/// they share with the cell. Messages sent through `CommManager` from inside these
/// methods quote the message being handled as their parent.
public protocol CommTargetHandler: AnyObject {
    /// A front end opened comm `message.commID` on this target.
    func commOpened(_ message: CommMessage, target: String) -> CommOpenDecision
    /// A comm_msg for an open comm of this target.
    func commReceived(_ message: CommMessage)
    /// The front end closed the comm.
    func commClosed(_ message: CommMessage)
}
