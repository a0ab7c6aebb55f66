/// A cell that asks for documentation the IPython way: `name?` or `?name` alone.
struct PagerRequest {
    let name: String
    let span: SourceSpan

    init?(_ code: String) {
        let scalars = Array(code.unicodeScalars)
        var start = 0, end = scalars.count
        while start < end, scalars[start].properties.isWhitespace { start += 1 }
        while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
        var nameStart = start, nameEnd = end
        var marks = 0
        while nameStart < nameEnd, scalars[nameStart] == "?" { nameStart += 1; marks += 1 }
        while nameEnd > nameStart, scalars[nameEnd - 1] == "?" { nameEnd -= 1; marks += 1 }
        guard marks > 0, nameStart < nameEnd, Lexer.isIdentifierStart(scalars[nameStart]),
              scalars[nameStart..<nameEnd].allSatisfy(Lexer.isIdentifierPart) else { return nil }
        name = String(String.UnicodeScalarView(scalars[nameStart..<nameEnd]))
        var line = 1, column = 1
        for scalar in scalars[0..<nameStart] {
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        span = SourceSpan(start: SourceLocation(offset: nameStart, line: line, column: column), endOffset: nameEnd)
    }
}
