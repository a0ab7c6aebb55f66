extension Session {
    /// Documentation for the name at `cursor` (or the call the cursor is in):
    /// detail 0 gives the signature and summary, detail 1 the full text. nil when there is nothing to say.
    public func inspect(_ code: String, cursor: Int, detailLevel: Int) -> DisplayBundle? {
        let context = CursorContext(code: code, cursor: cursor)
        var names: [String] = []
        if let word = CursorContext.word(in: code, at: cursor) { names.append(word) }
        if let call = context.call { names.append(call.callee) }
        let writer = HelpWriter(registry: registry)
        for name in names {
            if let value = variables[name] {
                let text = "\(name): \(value.typeName)\n\n" + ValueText.plain(value)
                return DisplayBundle(data: ["text/plain": text])
            }
            if let builtin = registry.builtin(named: name) {
                let help = detailLevel > 0 ? writer.fullHelp(builtin) : writer.short(builtin)
                return DisplayBundle(data: ["text/plain": help.plain, "text/markdown": help.markdown])
            }
        }
        return nil
    }
}

extension CursorContext {
    /// The whole identifier touching `cursor` (the cursor may be inside it or just after it).
    static func word(in code: String, at cursor: Int) -> String? {
        let scalars = Array(code.unicodeScalars)
        var start = max(0, min(cursor, scalars.count)), end = start
        while start > 0, Lexer.isIdentifierPart(scalars[start - 1]) { start -= 1 }
        while end < scalars.count, Lexer.isIdentifierPart(scalars[end]) { end += 1 }
        guard start < end, Lexer.isIdentifierStart(scalars[start]) else { return nil }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}
