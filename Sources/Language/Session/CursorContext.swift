/// What surrounds the cursor: the word or string being typed and the call it sits in.
///
/// Built from tokens, so it works on code that does not parse yet (which is most
/// code while someone is typing).
struct CursorContext {
    /// What is being typed at the cursor.
    enum Target {
        /// A name (possibly empty) starting at `start`.
        case name(prefix: String, start: Int)
        /// Inside a string literal: the text typed so far after the quote, which starts at `start`.
        case string(prefix: String, start: Int)
        /// Right after a `.`: a member of the expression before it.
        case member(prefix: String, start: Int, baseName: String?)
    }

    /// An open call around the cursor.
    struct CallFrame {
        var callee: String
        /// Tokens of each positional argument so far.
        var positional: [[Token]] = []
        /// Tokens of each named argument so far.
        var named: [String: [Token]] = [:]
        /// The label of the argument being written, if it has one.
        var currentLabel: String?
        var currentTokens: [Token] = []

        /// Tokens of the argument bound to `parameter` (by label or position), if written.
        func tokens(for parameter: String, in builtin: Builtin) -> [Token]? {
            if let named = named[parameter] { return named }
            guard let index = builtin.parameters.firstIndex(where: { $0.name == parameter }), index < positional.count else {
                return nil
            }
            return positional[index]
        }

        /// The parameter the argument being written binds to.
        func currentParameter(in builtin: Builtin) -> Parameter? {
            if let currentLabel { return builtin.parameter(named: currentLabel) }
            let index = positional.count
            return index < builtin.parameters.count ? builtin.parameters[index] : nil
        }
    }

    let target: Target
    /// The innermost open call (nil outside calls or inside a list within a call).
    let call: CallFrame?
    /// True when the cursor is where a new argument starts (a label may be typed).
    let atArgumentStart: Bool

    init(code: String, cursor: Int) {
        let scalars = Array(code.unicodeScalars)
        let cursor = max(0, min(cursor, scalars.count))
        let (tokens, _) = Lexer.tokenize(code)

        var target = Target.name(prefix: "", start: cursor)
        var before: [Token] = []
        for token in tokens where token.kind != .end {
            let start = token.span.start.offset, end = token.span.endOffset
            if token.kind == .string, start < cursor, cursor < end || (token.isUnterminated && cursor == end) {
                target = .string(prefix: String(String.UnicodeScalarView(scalars[(start + 1)..<cursor])), start: start + 1)
                break
            }
            if token.kind == .identifier || TokenKind.keywords[token.lexeme] != nil, start < cursor, cursor <= end {
                let prefix = String(String.UnicodeScalarView(scalars[start..<cursor]))
                if let last = before.last, last.kind == .dot {
                    target = .member(prefix: prefix, start: start, baseName: CursorContext.baseName(before.dropLast()))
                } else {
                    target = .name(prefix: prefix, start: start)
                }
                break
            }
            if start >= cursor { break }
            before.append(token)
        }
        if case .name(let prefix, let start) = target, prefix.isEmpty, let last = before.last, last.kind == .dot,
           last.span.endOffset == cursor {
            target = .member(prefix: "", start: start, baseName: CursorContext.baseName(before.dropLast()))
        }
        self.target = target

        // Walk the tokens before the cursor keeping a stack of open brackets.
        var frames: [CallFrame?] = []
        var previous: Token?
        var index = 0
        while index < before.count {
            let token = before[index]
            switch token.kind {
            case .leftParen:
                if let previous, previous.kind == .identifier {
                    frames.append(CallFrame(callee: previous.lexeme))
                } else {
                    frames.append(nil)
                }
                if frames.count > 1, var outer = frames[frames.count - 2] {
                    outer.currentTokens.append(token)
                    frames[frames.count - 2] = outer
                }
            case .leftBracket:
                frames.append(nil)
            case .rightParen, .rightBracket:
                if !frames.isEmpty { frames.removeLast() }
            case .comma:
                if var frame = frames.last ?? nil {
                    if let label = frame.currentLabel {
                        frame.named[label] = frame.currentTokens
                    } else {
                        frame.positional.append(frame.currentTokens)
                    }
                    frame.currentLabel = nil
                    frame.currentTokens = []
                    frames[frames.count - 1] = frame
                }
            case .identifier where index + 1 < before.count && before[index + 1].kind == .colon:
                if var frame = frames.last ?? nil, frame.currentTokens.isEmpty {
                    frame.currentLabel = token.lexeme
                    frames[frames.count - 1] = frame
                    index += 1
                } else if var frame = frames.last ?? nil {
                    frame.currentTokens.append(token)
                    frames[frames.count - 1] = frame
                }
            default:
                if var frame = frames.last ?? nil {
                    frame.currentTokens.append(token)
                    frames[frames.count - 1] = frame
                }
            }
            previous = token
            index += 1
        }
        call = frames.last ?? nil
        if let call {
            atArgumentStart = call.currentTokens.isEmpty && call.currentLabel == nil
        } else {
            atArgumentStart = false
        }
    }

    /// The variable name a member access starts from (`net` in `net.la`), when it is a plain name.
    private static func baseName(_ tokens: ArraySlice<Token>) -> String? {
        guard let last = tokens.last, last.kind == .identifier else { return nil }
        let beforeLast = tokens.dropLast().last
        if let beforeLast, beforeLast.kind == .dot { return nil }
        return last.lexeme
    }
}
