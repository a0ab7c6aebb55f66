/// Content of input_reply on the stdin channel.
public struct InputReply: Decodable, Sendable {
    public var value: String
}
