/// Content of is_complete_request.
public struct IsCompleteRequest: Decodable, Sendable {
    public var code: String
}
