/// Thrown by `input` when the front end's input_reply has no string `value`.
public struct InputReplyMalformed: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "the front end's input_reply is malformed: \(reason)" }
}
