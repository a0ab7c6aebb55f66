/// Completions for the text at a cursor, with the range they replace.
public struct Completions: Equatable, Sendable {
    public var matches: [String]
    /// Scalar offsets of the text the chosen match replaces.
    public var start: Int
    public var end: Int
    /// One label per match: "function", "variable", "keyword", "argument", "layer", "class", "image", "model", "member".
    public var types: [String]
}

/// Where completion candidates for strings come from (names of layers, classes, samples, models).
///
/// The engine families fill these in; the language alone knows none.
public struct CompletionSources {
    /// Layer names of the network an argument refers to (nil: unknown network).
    public var layerNames: (Value?) -> [String] = { _ in [] }
    /// Class names of the network an argument refers to.
    public var classNames: (Value?) -> [String] = { _ in [] }
    public var sampleImageNames: () -> [String] = { [] }
    public var modelNames: () -> [String] = { [] }

    public init() {}
}

extension Session {
    /// Completes the word, argument name, or string (layer, class, sample image, model) at `cursor`.
    public func complete(_ code: String, cursor: Int) -> Completions {
        let context = CursorContext(code: code, cursor: cursor)
        let end = max(0, min(cursor, code.unicodeScalars.count))
        switch context.target {
        case .name(let prefix, let start):
            var candidates: [(String, String)] = []
            if let call = context.call, context.atArgumentStart || !prefix.isEmpty,
               let builtin = registry.builtin(named: call.callee), call.currentLabel == nil {
                let used = Set(call.named.keys)
                let positionalCount = call.positional.count
                for (index, parameter) in builtin.parameters.enumerated()
                where !used.contains(parameter.name) && index >= positionalCount {
                    candidates.append((parameter.name + ": ", "argument"))
                }
            }
            candidates += variables.keys.sorted().map { ($0, "variable") }
            candidates += registry.names.map { ($0, "function") }
            candidates += TokenKind.keywords.keys.sorted().map { ($0, "keyword") }
            return Session.filter(candidates, prefix: prefix, start: start, end: end)
        case .member(let prefix, let start, let baseName):
            guard let baseName, let base = variables[baseName] else {
                return Completions(matches: [], start: start, end: end, types: [])
            }
            let members = Members.names(of: base).keys.sorted().map { ($0, "member") }
            return Session.filter(members, prefix: prefix, start: start, end: end)
        case .string(let prefix, let start):
            guard let call = context.call, let builtin = registry.builtin(named: call.callee),
                  let parameter = call.currentParameter(in: builtin) else {
                return Completions(matches: [], start: start, end: end, types: [])
            }
            let candidates = stringCandidates(for: parameter.type, call: call, builtin: builtin)
            // Class names also match inside ("cat" finds "tabby cat"); other words by prefix.
            var substring = false
            if case .className = parameter.type { substring = true }
            return Session.filter(candidates, prefix: prefix, start: start, end: end, substring: substring)
        }
    }

    /// Words a string argument of `type` may take in this call.
    private func stringCandidates(for type: ParameterType, call: CursorContext.CallFrame, builtin: Builtin) -> [(String, String)] {
        switch type {
        case .layerName: return completionSources.layerNames(modelArgument(call, builtin)).map { ($0, "layer") }
        case .className: return completionSources.classNames(modelArgument(call, builtin)).map { ($0, "class") }
        case .imageName: return completionSources.sampleImageNames().map { ($0, "image") }
        case .modelName: return completionSources.modelNames().map { ($0, "model") }
        case .choice(let words): return words.map { ($0, "choice") }
        case .either(let a, let b):
            return stringCandidates(for: a, call: call, builtin: builtin) + stringCandidates(for: b, call: call, builtin: builtin)
        default: return []
        }
    }

    /// The value of the call's model argument when it is written as a variable name.
    private func modelArgument(_ call: CursorContext.CallFrame, _ builtin: Builtin) -> Value? {
        guard let parameter = builtin.parameters.first(where: {
            if case .model = $0.type { return true } else { return false }
        }) else { return nil }
        guard let tokens = call.tokens(for: parameter.name, in: builtin) else { return parameter.defaultValue }
        guard tokens.count == 1, tokens[0].kind == .identifier else { return nil }
        return variables[tokens[0].lexeme]
    }

    /// Candidates starting with `prefix` (case-insensitively; for strings also containing it), without duplicates.
    static func filter(_ candidates: [(String, String)], prefix: String, start: Int, end: Int,
                       substring: Bool = false) -> Completions {
        let lowered = prefix.lowercased()
        var seen: Set<String> = []
        var starting: [(String, String)] = [], containing: [(String, String)] = []
        for (match, type) in candidates where !seen.contains(match) {
            let candidate = match.lowercased()
            if candidate.hasPrefix(lowered) {
                starting.append((match, type))
                seen.insert(match)
            } else if substring, candidate.contains(lowered) {
                containing.append((match, type))
                seen.insert(match)
            }
        }
        let all = starting + containing
        return Completions(matches: all.map(\.0), start: start, end: end, types: all.map(\.1))
    }
}
