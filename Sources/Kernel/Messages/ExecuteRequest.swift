/// Content of execute_request; every field but `code` has the spec's default.
public struct ExecuteRequest: Decodable, Sendable {
    public var code: String
    public var silent: Bool
    public var storeHistory: Bool
    public var userExpressions: [String: String]
    public var allowStdin: Bool
    public var stopOnError: Bool

    enum CodingKeys: String, CodingKey {
        case code, silent, storeHistory = "store_history", userExpressions = "user_expressions"
        case allowStdin = "allow_stdin", stopOnError = "stop_on_error"
    }

    public init(code: String, silent: Bool = false, storeHistory: Bool = true, userExpressions: [String: String] = [:],
                allowStdin: Bool = true, stopOnError: Bool = true) {
        self.code = code
        self.silent = silent
        self.storeHistory = storeHistory
        self.userExpressions = userExpressions
        self.allowStdin = allowStdin
        self.stopOnError = stopOnError
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        silent = try container.decodeIfPresent(Bool.self, forKey: .silent) ?? false
        // A silent request never stores history, whatever store_history says.
        let requested = try container.decodeIfPresent(Bool.self, forKey: .storeHistory) ?? true
        storeHistory = !silent && requested
        userExpressions = try container.decodeIfPresent([String: String].self, forKey: .userExpressions) ?? [:]
        allowStdin = try container.decodeIfPresent(Bool.self, forKey: .allowStdin) ?? true
        stopOnError = try container.decodeIfPresent(Bool.self, forKey: .stopOnError) ?? true
    }
}
