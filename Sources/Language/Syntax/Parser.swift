/// Builds statements from tokens by recursive descent; one method per grammar rule.
///
///     program        → statement (newline statement)*
///     statement      → NAME "=" expression | expression
///     expression     → or
///     or             → and ("or" and)*
///     and            → not ("and" not)*
///     not            → "not" not | comparison
///     comparison     → range (("==" | "!=" | "<" | "<=" | ">" | ">=") range)?
///     range          → additive (".." additive)?
///     additive       → multiplicative (("+" | "-") multiplicative)*
///     multiplicative → unary (("*" | "/" | "%") unary)*
///     unary          → "-" unary | power
///     power          → postfix ("**" unary)?
///     postfix        → primary ("(" arguments? ")" | "[" expression "]" | "." NAME)*
///     primary        → NUMBER | STRING | "true" | "false" | "none" | NAME | "(" expression ")" | "[" list "]"
///
/// A line may also break after a binary operator. On an error the parser
/// records it and skips to the next line, so one cell reports several errors.
public struct Parser {
    private let tokens: [Token]
    private var current = 0
    private var depth = 0
    public private(set) var errors: [LensError] = []

    /// Deeper nesting is refused with an error instead of exhausting the stack.
    static let maximumDepth = 64
    /// Taller expression trees (long operator chains) are refused too: evaluation recurses on them.
    static let maximumHeight = 256

    public init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Lexes and parses `source`; returns the statements and every error found (lexer errors first).
    public static func parse(_ source: String) -> (statements: [Statement], errors: [LensError]) {
        let (tokens, lexErrors) = Lexer.tokenize(source)
        var parser = Parser(tokens: tokens)
        let statements = parser.program()
        return (statements, lexErrors + parser.errors)
    }

    public mutating func program() -> [Statement] {
        var statements: [Statement] = []
        skipNewlines()
        while !check(.end) {
            do {
                statements.append(try statement())
                if !check(.end) {
                    try consume(.newline, "expected the end of the line after the statement",
                                hint: "put each statement on its own line")
                }
            } catch let error as LensError {
                errors.append(error)
                synchronize()
            } catch {
                synchronize()
            }
            skipNewlines()
        }
        return statements
    }

    // MARK: Grammar rules

    mutating func statement() throws -> Statement {
        if check(.identifier), peekKind(1) == .equal {
            let name = advance()
            advance()
            skipNewlines()
            let value = try expression()
            return .assignment(name: name.lexeme, nameSpan: name.span, value: value)
        }
        let value = try expression()
        if check(.equal) {
            throw LensError(.syntax, "only a name can be assigned to", at: value.span,
                            hint: "write 'name = value'; compare with '=='")
        }
        return .expression(value)
    }

    mutating func expression() throws -> ExpressionNode {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maximumDepth else {
            throw LensError(.syntax, "expression nested too deeply", at: peek().span,
                            hint: "split it into several assignments")
        }
        return try or()
    }

    mutating func or() throws -> ExpressionNode {
        var left = try and()
        while check(.orKeyword) {
            let op = advance()
            skipNewlines()
            let right = try and()
            left = try node(kind: .binary(.or, left, right, operatorSpan: op.span), span: left.span.through(right.span))
        }
        return left
    }

    mutating func and() throws -> ExpressionNode {
        var left = try not()
        while check(.andKeyword) {
            let op = advance()
            skipNewlines()
            let right = try not()
            left = try node(kind: .binary(.and, left, right, operatorSpan: op.span), span: left.span.through(right.span))
        }
        return left
    }

    mutating func not() throws -> ExpressionNode {
        if check(.notKeyword) {
            let op = advance()
            let operand = try nested { try $0.not() }
            return try node(kind: .unary(.not, operand), span: op.span.through(operand.span))
        }
        return try comparison()
    }

    mutating func comparison() throws -> ExpressionNode {
        let left = try range()
        let operators: [TokenKind: BinaryOperator] = [
            .equalEqual: .equal, .bangEqual: .notEqual, .less: .less,
            .lessEqual: .lessEqual, .greater: .greater, .greaterEqual: .greaterEqual,
        ]
        guard let op = operators[peek().kind] else { return left }
        let token = advance()
        skipNewlines()
        let right = try range()
        if operators[peek().kind] != nil {
            throw LensError(.syntax, "comparisons cannot be chained", at: peek().span,
                            hint: "join two comparisons with 'and'")
        }
        return try node(kind: .binary(op, left, right, operatorSpan: token.span), span: left.span.through(right.span))
    }

    mutating func range() throws -> ExpressionNode {
        let low = try additive()
        guard check(.dotDot) else { return low }
        advance()
        skipNewlines()
        let high = try additive()
        return try node(kind: .range(low, high), span: low.span.through(high.span))
    }

    mutating func additive() throws -> ExpressionNode {
        var left = try multiplicative()
        while check(.plus) || check(.minus) {
            let token = advance()
            skipNewlines()
            let right = try multiplicative()
            let op: BinaryOperator = token.kind == .plus ? .add : .subtract
            left = try node(kind: .binary(op, left, right, operatorSpan: token.span), span: left.span.through(right.span))
        }
        return left
    }

    mutating func multiplicative() throws -> ExpressionNode {
        var left = try unary()
        while check(.star) || check(.slash) || check(.percent) {
            let token = advance()
            skipNewlines()
            let right = try unary()
            let op: BinaryOperator = token.kind == .star ? .multiply : token.kind == .slash ? .divide : .remainder
            left = try node(kind: .binary(op, left, right, operatorSpan: token.span), span: left.span.through(right.span))
        }
        return left
    }

    mutating func unary() throws -> ExpressionNode {
        if check(.minus) {
            let op = advance()
            let operand = try nested { try $0.unary() }
            return try node(kind: .unary(.negate, operand), span: op.span.through(operand.span))
        }
        return try power()
    }

    mutating func power() throws -> ExpressionNode {
        let base = try postfix()
        guard check(.starStar) else { return base }
        let token = advance()
        skipNewlines()
        let exponent = try nested { try $0.unary() }
        return try node(kind: .binary(.power, base, exponent, operatorSpan: token.span), span: base.span.through(exponent.span))
    }

    mutating func postfix() throws -> ExpressionNode {
        var expression = try primary()
        while true {
            if check(.leftParen) {
                advance()
                let arguments = try self.arguments()
                let close = try consume(.rightParen, "expected ')' to close the call")
                expression = try node(kind: .call(expression, arguments), span: expression.span.through(close.span))
            } else if check(.leftBracket) {
                advance()
                let index = try self.expression()
                let close = try consume(.rightBracket, "expected ']' after the index")
                expression = try node(kind: .index(expression, index), span: expression.span.through(close.span))
            } else if check(.dot) {
                advance()
                let name = try consume(.identifier, "expected a member name after '.'")
                expression = try node(kind: .member(expression, name.lexeme, nameSpan: name.span),
                                        span: expression.span.through(name.span))
            } else {
                return expression
            }
        }
    }

    mutating func arguments() throws -> [Argument] {
        var arguments: [Argument] = []
        var sawLabel = false
        while !check(.rightParen) {
            if check(.identifier), peekKind(1) == .colon {
                let label = advance()
                advance()
                if arguments.contains(where: { $0.label == label.lexeme }) {
                    throw LensError(.syntax, "argument '\(label.lexeme)' is given twice", at: label.span)
                }
                arguments.append(Argument(label: label.lexeme, labelSpan: label.span, value: try expression()))
                sawLabel = true
            } else {
                let value = try expression()
                if sawLabel {
                    throw LensError(.syntax, "a positional argument cannot follow a named one", at: value.span,
                                    hint: "name this argument too, or move it before the named ones")
                }
                if check(.equal) {
                    throw LensError(.syntax, "named arguments use ':', not '='", at: peek().span,
                                    hint: "write 'name: value', as in classify(net, img, top: 3)")
                }
                arguments.append(Argument(label: nil, labelSpan: nil, value: value))
            }
            if !check(.comma) { break }
            advance()
        }
        return arguments
    }

    mutating func primary() throws -> ExpressionNode {
        let token = peek()
        switch token.kind {
        case .number:
            advance()
            return try node(kind: .number(token.number), span: token.span)
        case .string:
            advance()
            return try node(kind: .string(token.text), span: token.span)
        case .trueKeyword, .falseKeyword:
            advance()
            return try node(kind: .bool(token.kind == .trueKeyword), span: token.span)
        case .noneKeyword:
            advance()
            return try node(kind: .none, span: token.span)
        case .identifier:
            advance()
            return try node(kind: .variable(token.lexeme), span: token.span)
        case .leftParen:
            advance()
            let inner = try expression()
            let close = try consume(.rightParen, "expected ')' to close '('")
            return try node(kind: inner.kind, span: token.span.through(close.span))
        case .leftBracket:
            advance()
            var elements: [ExpressionNode] = []
            while !check(.rightBracket) {
                elements.append(try expression())
                if !check(.comma) { break }
                advance()
            }
            let close = try consume(.rightBracket, "expected ']' to close the list")
            return try node(kind: .list(elements), span: token.span.through(close.span))
        case .question:
            throw LensError(.syntax, "unexpected '?'", at: token.span,
                            hint: "write 'name?' alone in a cell to read a builtin's documentation")
        default:
            var error = LensError(.syntax, "expected an expression, found \(token.kind.displayName)", at: token.span,
                                  hint: hintForUnexpected(token))
            error.needsMoreInput = token.kind == .end
            throw error
        }
    }

    // MARK: Helpers

    /// Builds a node, refusing trees too tall to evaluate safely.
    private func node(kind: ExpressionKind, span: SourceSpan) throws -> ExpressionNode {
        let expression = ExpressionNode(kind: kind, span: span)
        guard expression.height <= Parser.maximumHeight else {
            throw LensError(.syntax, "expression too long", at: span, hint: "split it into several assignments")
        }
        return expression
    }

    private func hintForUnexpected(_ token: Token) -> String? {
        switch token.kind {
        case .rightParen, .rightBracket: return "this bracket closes nothing"
        case .star, .slash, .percent, .starStar, .plus: return "an operator needs a value on each side"
        default: return nil
        }
    }

    private mutating func nested(_ rule: (inout Parser) throws -> ExpressionNode) throws -> ExpressionNode {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maximumDepth else {
            throw LensError(.syntax, "expression nested too deeply", at: peek().span)
        }
        return try rule(&self)
    }

    private func peek() -> Token { tokens[min(current, tokens.count - 1)] }

    private func peekKind(_ ahead: Int) -> TokenKind { tokens[min(current + ahead, tokens.count - 1)].kind }

    private func check(_ kind: TokenKind) -> Bool { peek().kind == kind }

    @discardableResult
    private mutating func advance() -> Token {
        let token = peek()
        if current < tokens.count - 1 { current += 1 }
        return token
    }

    private mutating func skipNewlines() {
        while check(.newline) { advance() }
    }

    @discardableResult
    private mutating func consume(_ kind: TokenKind, _ message: String, hint: String? = nil) throws -> Token {
        if check(kind) { return advance() }
        let found = peek()
        var error = LensError(.syntax, "\(message), found \(found.kind.displayName)", at: found.span, hint: hint)
        error.needsMoreInput = found.kind == .end
        throw error
    }

    /// Skips to the start of the next statement after an error.
    private mutating func synchronize() {
        while !check(.end), !check(.newline) { advance() }
    }
}
