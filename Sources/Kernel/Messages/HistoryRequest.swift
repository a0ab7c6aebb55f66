/// Content of history_request: which entries (tail, range or glob search) and in what form.
public struct HistoryRequest: Decodable, Sendable {
    public enum AccessType: String, Decodable, Sendable { case tail, range, search }

    public var accessType: AccessType
    public var output: Bool
    public var raw: Bool
    public var session: Int
    public var start: Int
    public var stop: Int?
    public var n: Int?
    public var pattern: String
    public var unique: Bool

    enum CodingKeys: String, CodingKey {
        case accessType = "hist_access_type", output, raw, session, start, stop, n, pattern, unique
    }

    public init(accessType: AccessType, output: Bool = false, session: Int = 0, start: Int = 0, stop: Int? = nil,
                n: Int? = nil, pattern: String = "*", unique: Bool = false) {
        self.accessType = accessType
        self.output = output
        self.raw = true
        self.session = session
        self.start = start
        self.stop = stop
        self.n = n
        self.pattern = pattern
        self.unique = unique
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessType = try container.decode(AccessType.self, forKey: .accessType)
        output = try container.decodeIfPresent(Bool.self, forKey: .output) ?? false
        raw = try container.decodeIfPresent(Bool.self, forKey: .raw) ?? true
        session = try container.decodeIfPresent(Int.self, forKey: .session) ?? 0
        start = try container.decodeIfPresent(Int.self, forKey: .start) ?? 0
        stop = try container.decodeIfPresent(Int.self, forKey: .stop)
        n = try container.decodeIfPresent(Int.self, forKey: .n)
        pattern = try container.decodeIfPresent(String.self, forKey: .pattern) ?? "*"
        unique = try container.decodeIfPresent(Bool.self, forKey: .unique) ?? false
    }
}
