/// The kinds of token the lexer produces.
public enum TokenKind: Equatable, Sendable {
    case number, string, identifier
    case trueKeyword, falseKeyword, noneKeyword, andKeyword, orKeyword, notKeyword
    case plus, minus, star, starStar, slash, percent
    case dotDot, dot, comma, colon, equal
    case equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
    case leftParen, rightParen, leftBracket, rightBracket
    case question
    case newline, end

    /// Words that cannot be variable names.
    static let keywords: [String: TokenKind] = [
        "true": .trueKeyword, "false": .falseKeyword, "none": .noneKeyword,
        "and": .andKeyword, "or": .orKeyword, "not": .notKeyword,
    ]

    /// Tokens after which an expression must continue: a line ending here is not finished.
    var expectsContinuation: Bool {
        switch self {
        case .plus, .minus, .star, .starStar, .slash, .percent, .dotDot, .dot, .comma, .colon, .equal,
             .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual,
             .andKeyword, .orKeyword, .notKeyword, .leftParen, .leftBracket:
            return true
        default:
            return false
        }
    }

    /// How the token reads in an error message.
    var displayName: String {
        switch self {
        case .number: return "a number"
        case .string: return "a string"
        case .identifier: return "a name"
        case .newline: return "end of line"
        case .end: return "end of cell"
        default: return "'\(Token.spelling(of: self))'"
        }
    }
}
