/// Content of shutdown_request.
public struct ShutdownRequest: Decodable, Sendable {
    public var restart: Bool

    enum CodingKeys: String, CodingKey { case restart }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        restart = try container.decodeIfPresent(Bool.self, forKey: .restart) ?? false
    }
}
