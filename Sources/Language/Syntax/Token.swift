/// One lexeme with its kind, literal value and place in the source.
public struct Token: Sendable {
    public var kind: TokenKind
    /// The exact source text (for strings, including the quotes).
    public var lexeme: String
    /// The value of a number literal.
    public var number: Double = 0
    /// The decoded contents of a string literal (escapes resolved).
    public var text: String = ""
    public var span: SourceSpan
    /// True for a string literal whose closing quote is missing.
    public var isUnterminated = false

    /// The fixed spelling of punctuation and keywords.
    static func spelling(of kind: TokenKind) -> String {
        switch kind {
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .starStar: return "**"
        case .slash: return "/"
        case .percent: return "%"
        case .dotDot: return ".."
        case .dot: return "."
        case .comma: return ","
        case .colon: return ":"
        case .equal: return "="
        case .equalEqual: return "=="
        case .bangEqual: return "!="
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .question: return "?"
        case .trueKeyword: return "true"
        case .falseKeyword: return "false"
        case .noneKeyword: return "none"
        case .andKeyword: return "and"
        case .orKeyword: return "or"
        case .notKeyword: return "not"
        case .number: return "number"
        case .string: return "string"
        case .identifier: return "name"
        case .newline: return "newline"
        case .end: return "end"
        }
    }
}
