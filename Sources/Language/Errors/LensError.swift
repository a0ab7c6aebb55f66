/// An error of a cell: what went wrong, where, and a hint how to fix it.
///
/// Errors are values (never global flags): the parser collects several, the
/// evaluator throws one, and the session renders it with the source line and a caret.
public struct LensError: Error, Sendable, CustomStringConvertible {
    public var kind: ErrorKind
    public var message: String
    /// Where the error is; builtins throw without one and the evaluator fills in the call's span.
    public var span: SourceSpan?
    public var hint: String?
    /// True when more text could fix the error (an unclosed bracket or string), for is_complete.
    public var needsMoreInput: Bool = false

    public init(_ kind: ErrorKind, _ message: String, at span: SourceSpan? = nil, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
        self.hint = hint
    }

    public var description: String {
        var text = "\(kind.rawValue): \(message)"
        if let span { text = "line \(span.start.line), column \(span.start.column): " + text }
        if let hint { text += " (\(hint))" }
        return text
    }

    /// This error with `span` filled in if it had none.
    func located(at fallback: SourceSpan) -> LensError {
        var copy = self
        if copy.span == nil { copy.span = fallback }
        return copy
    }

    /// The lines a notebook shows: the message, the source line with a caret under the span, the hint.
    public func report(source: String) -> [String] {
        var lines: [String] = []
        guard let span else {
            lines.append("\(kind.rawValue): \(message)")
            if let hint { lines.append("hint: \(hint)") }
            return lines
        }
        lines.append("\(kind.rawValue): \(message)")
        lines.append("  --> line \(span.start.line), column \(span.start.column)")
        let sourceLine = LensError.line(span.start.line, of: source)
        let number = String(span.start.line)
        let gutter = String(repeating: " ", count: number.count)
        lines.append("\(gutter) |")
        lines.append("\(number) | \(sourceLine)")
        let lineLength = sourceLine.unicodeScalars.count
        let caretStart = min(span.start.column - 1, lineLength)
        let caretWidth = max(1, min(span.length, max(1, lineLength - caretStart)))
        lines.append("\(gutter) | " + String(repeating: " ", count: caretStart) + String(repeating: "^", count: caretWidth))
        if let hint { lines.append("hint: \(hint)") }
        return lines
    }

    /// The 1-based `number`th line of `source` ("" past the end).
    static func line(_ number: Int, of source: String) -> String {
        var current = 1
        var scalars = String.UnicodeScalarView()
        for scalar in source.unicodeScalars {
            if scalar == "\n" {
                if current == number { break }
                current += 1
                continue
            }
            if current == number, scalar != "\r" { scalars.append(scalar) }
        }
        return String(scalars)
    }
}
