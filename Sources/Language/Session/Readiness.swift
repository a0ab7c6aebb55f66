/// Whether a cell is ready to run, for consoles deciding what Enter does.
public enum Readiness: Equatable, Sendable {
    case complete
    /// More text could finish it (an open bracket or string, a trailing operator or comma).
    case incomplete(indent: String)
    /// A syntax error that no further text can fix.
    case invalid
}

extension Session {
    public func isComplete(_ code: String) -> Readiness {
        if PagerRequest(code) != nil { return .complete }
        var lexer = Lexer(code)
        lexer.run()
        if lexer.errors.contains(where: { !$0.needsMoreInput }) { return .invalid }
        var parser = Parser(tokens: lexer.tokens)
        _ = parser.program()
        if parser.errors.contains(where: { !$0.needsMoreInput }) { return .invalid }
        let unterminated = lexer.errors.contains { $0.needsMoreInput }
        let lastToken = lexer.tokens.last { $0.kind != .end && $0.kind != .newline }
        if unterminated || lexer.openBrackets > 0 || !parser.errors.isEmpty || lastToken?.kind.expectsContinuation == true {
            return .incomplete(indent: "")
        }
        return .complete
    }
}
