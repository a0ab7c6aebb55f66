/// Content of complete_request and inspect_request: code, a cursor, and for
/// inspection how much detail to give (0 or 1).
public struct CodeAtCursorRequest: Decodable, Sendable {
    public var code: String
    public var cursorPos: Int
    public var detailLevel: Int

    enum CodingKeys: String, CodingKey {
        case code, cursorPos = "cursor_pos", detailLevel = "detail_level"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        // The spec's cursor is a count of Unicode scalars; out-of-range values are clamped, not trusted.
        let length = code.unicodeScalars.count
        let cursor = try container.decodeIfPresent(Int.self, forKey: .cursorPos) ?? length
        cursorPos = min(max(cursor, 0), length)
        detailLevel = try container.decodeIfPresent(Int.self, forKey: .detailLevel) ?? 0
    }
}
