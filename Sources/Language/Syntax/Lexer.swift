/// Turns a cell's text into tokens.
///
/// Newlines end statements except inside brackets, where the lexer drops them
/// so a call can spread over several lines. Errors are collected, not thrown,
/// so completion and is_complete can still look at the tokens of broken code.
public struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1
    private var bracketDepth = 0
    public private(set) var tokens: [Token] = []
    public private(set) var errors: [LensError] = []

    public init(_ source: String) {
        scalars = Array(source.unicodeScalars)
    }

    /// Lexes the whole source; the last token is always `.end`.
    public static func tokenize(_ source: String) -> (tokens: [Token], errors: [LensError]) {
        var lexer = Lexer(source)
        lexer.run()
        return (lexer.tokens, lexer.errors)
    }

    /// The bracket depth at the end of input (positive when brackets are still open).
    public var openBrackets: Int { bracketDepth }

    public mutating func run() {
        while index < scalars.count {
            scanToken()
        }
        tokens.append(Token(kind: .end, lexeme: "", span: SourceSpan(start: location, endOffset: index)))
    }

    private var location: SourceLocation { SourceLocation(offset: index, line: line, column: column) }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    @discardableResult
    private mutating func advance() -> Unicode.Scalar {
        let scalar = scalars[index]
        index += 1
        if scalar == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return scalar
    }

    private mutating func add(_ kind: TokenKind, from start: SourceLocation) {
        let lexeme = String(String.UnicodeScalarView(scalars[start.offset..<index]))
        tokens.append(Token(kind: kind, lexeme: lexeme, span: SourceSpan(start: start, endOffset: index)))
    }

    private mutating func scanToken() {
        let start = location
        let scalar = advance()
        switch scalar {
        case " ", "\t", "\r":
            return
        case "\n":
            if bracketDepth == 0, let last = tokens.last, last.kind != .newline {
                add(.newline, from: start)
            }
        case "#":
            while let next = peek(), next != "\n" { advance() }
        case "(": bracketDepth += 1; add(.leftParen, from: start)
        case ")": bracketDepth = max(0, bracketDepth - 1); add(.rightParen, from: start)
        case "[": bracketDepth += 1; add(.leftBracket, from: start)
        case "]": bracketDepth = max(0, bracketDepth - 1); add(.rightBracket, from: start)
        case "+": add(.plus, from: start)
        case "-": add(.minus, from: start)
        case "/": add(.slash, from: start)
        case "%": add(.percent, from: start)
        case ",": add(.comma, from: start)
        case ":": add(.colon, from: start)
        case "?": add(.question, from: start)
        case "*": add(match("*") ? .starStar : .star, from: start)
        case ".": add(match(".") ? .dotDot : .dot, from: start)
        case "=": add(match("=") ? .equalEqual : .equal, from: start)
        case "<": add(match("=") ? .lessEqual : .less, from: start)
        case ">": add(match("=") ? .greaterEqual : .greater, from: start)
        case "!":
            if match("=") {
                add(.bangEqual, from: start)
            } else {
                errors.append(LensError(.syntax, "unexpected character '!'", at: SourceSpan(start: start, endOffset: index),
                                        hint: "write 'not x' for negation and '!=' for 'not equal'"))
            }
        case "\"", "'":
            scanString(quote: scalar, start: start)
        default:
            if ("0"..."9").contains(scalar) {
                scanNumber(start: start)
            } else if Lexer.isIdentifierStart(scalar) {
                while let next = peek(), Lexer.isIdentifierPart(next) { advance() }
                let word = String(String.UnicodeScalarView(scalars[start.offset..<index]))
                add(TokenKind.keywords[word] ?? .identifier, from: start)
            } else {
                errors.append(LensError(.syntax, "unexpected character '\(scalar.escaped(asASCII: false))'",
                                        at: SourceSpan(start: start, endOffset: index)))
            }
        }
    }

    private mutating func match(_ expected: Unicode.Scalar) -> Bool {
        guard peek() == expected else { return false }
        advance()
        return true
    }

    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic
    }

    static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || ("0"..."9").contains(scalar)
    }

    private mutating func scanNumber(start: SourceLocation) {
        while let next = peek(), ("0"..."9").contains(next) || next == "_" { advance() }
        // A dot starts a fraction only when a digit follows: `0..15` is a range.
        if peek() == ".", let after = peek(1), ("0"..."9").contains(after) {
            advance()
            while let next = peek(), ("0"..."9").contains(next) || next == "_" { advance() }
        }
        if let e = peek(), e == "e" || e == "E" {
            let signOffset = (peek(1) == "+" || peek(1) == "-") ? 1 : 0
            if let digit = peek(1 + signOffset), ("0"..."9").contains(digit) {
                for _ in 0..<(1 + signOffset) { advance() }
                while let next = peek(), ("0"..."9").contains(next) { advance() }
            }
        }
        let text = String(String.UnicodeScalarView(scalars[start.offset..<index])).replacingOccurrences(of: "_", with: "")
        var token = Token(kind: .number, lexeme: text, span: SourceSpan(start: start, endOffset: index))
        token.number = Double(text) ?? .nan
        if let next = peek(), Lexer.isIdentifierStart(next) {
            errors.append(LensError(.syntax, "a number cannot run into a name", at: SourceSpan(start: location, endOffset: index + 1),
                                    hint: "put an operator or a space between them"))
        }
        tokens.append(token)
    }

    private mutating func scanString(quote: Unicode.Scalar, start: SourceLocation) {
        var contents = String.UnicodeScalarView()
        // A string ends on its line: a missing quote then costs one line, not the rest of the cell.
        while let next = peek(), next != quote, next != "\n" {
            advance()
            if next == "\\", let escaped = peek(), escaped != "\n" {
                advance()
                switch escaped {
                case "n": contents.append("\n")
                case "t": contents.append("\t")
                case "\\": contents.append("\\")
                case "\"": contents.append("\"")
                case "'": contents.append("'")
                case "0": contents.append("\0")
                default:
                    contents.append("\\")
                    contents.append(escaped)
                }
            } else {
                contents.append(next)
            }
        }
        guard peek() == quote else {
            var error = LensError(.syntax, "unterminated string", at: SourceSpan(start: start, endOffset: start.offset + 1),
                                  hint: "close it with \(quote)")
            error.needsMoreInput = peek() == nil
            errors.append(error)
            var token = Token(kind: .string, lexeme: String(String.UnicodeScalarView(scalars[start.offset..<index])),
                              span: SourceSpan(start: start, endOffset: index))
            token.text = String(contents)
            token.isUnterminated = true
            tokens.append(token)
            return
        }
        advance()
        var token = Token(kind: .string, lexeme: String(String.UnicodeScalarView(scalars[start.offset..<index])),
                          span: SourceSpan(start: start, endOffset: index))
        token.text = String(contents)
        tokens.append(token)
    }
}
