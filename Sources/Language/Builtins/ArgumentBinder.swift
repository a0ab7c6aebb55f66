/// Matches a call's arguments to a builtin's parameters and checks their types.
///
/// Errors name what is wrong and where: an unknown argument name lists the valid
/// ones (closest first), a wrong type says what was expected, a missing one shows the signature.
struct ArgumentBinder {
    let builtin: Builtin

    /// A value as written in the call, with the spans to point errors at.
    struct Given {
        var label: String?
        var labelSpan: SourceSpan?
        var value: Value
        var span: SourceSpan
    }

    func bind(_ arguments: [Given], callSpan: SourceSpan, session: Session) throws -> Invocation {
        var values: [String: Value] = [:]
        var spans: [String: SourceSpan] = [:]
        var given: Set<String> = []
        var rest: [Value] = []
        var positionalIndex = 0
        let names = builtin.parameters.map(\.name)

        for argument in arguments {
            let parameter: Parameter
            if let label = argument.label {
                guard let named = builtin.parameter(named: label) else {
                    let suggestion = NameSuggestion.hint(for: label, among: names).map { $0 + " " } ?? ""
                    let valid = names.isEmpty ? "\(builtin.name) takes no named arguments"
                        : suggestion + "valid names: " + names.joined(separator: ", ")
                    throw LensError(.argument, "\(builtin.name) has no argument '\(label)'",
                                    at: argument.labelSpan ?? argument.span, hint: valid)
                }
                if given.contains(label) {
                    throw LensError(.argument, "argument '\(label)' of \(builtin.name) is given twice",
                                    at: argument.labelSpan ?? argument.span)
                }
                parameter = named
            } else {
                guard positionalIndex < builtin.parameters.count else {
                    if builtin.variadic != nil {
                        rest.append(argument.value)
                        continue
                    }
                    throw LensError(.argument, "\(builtin.name) takes at most \(builtin.parameters.count) argument"
                                    + (builtin.parameters.count == 1 ? "" : "s") + ", got \(arguments.count)",
                                    at: argument.span, hint: "usage: \(builtin.signature)")
                }
                parameter = builtin.parameters[positionalIndex]
                positionalIndex += 1
            }
            try check(argument.value, for: parameter, at: argument.span)
            values[parameter.name] = argument.value
            spans[parameter.name] = argument.span
            given.insert(parameter.name)
        }

        for parameter in builtin.parameters where values[parameter.name] == nil {
            guard let defaultValue = parameter.defaultValue else {
                throw LensError(.argument, "\(builtin.name) needs argument '\(parameter.name)' (\(parameter.type.expectation))",
                                at: callSpan, hint: "usage: \(builtin.signature)")
            }
            values[parameter.name] = defaultValue
        }
        return Invocation(builtin: builtin, values: values, rest: rest, spans: spans, callSpan: callSpan,
                          given: given, session: session)
    }

    private func check(_ value: Value, for parameter: Parameter, at span: SourceSpan) throws {
        // An optional parameter (default none) also accepts none.
        if case .none = value, let defaultValue = parameter.defaultValue, case .none = defaultValue { return }
        guard parameter.type.accepts(value) else {
            throw LensError(.type, "argument '\(parameter.name)' of \(builtin.name) expects \(parameter.type.expectation), "
                            + "got \(value.typeName) \(Self.preview(value))", at: span)
        }
        if case .choice(let words) = parameter.type, case .string(let word) = value, !words.contains(word) {
            throw LensError(.value, "'\(word)' is not a valid \(parameter.name) for \(builtin.name)", at: span,
                            hint: "choose one of " + orderedByCloseness(word, words).map { "\"\($0)\"" }.joined(separator: ", "))
        }
    }

    private func orderedByCloseness(_ name: String, _ candidates: [String]) -> [String] {
        candidates.sorted {
            NameSuggestion.editDistance(name, $0) < NameSuggestion.editDistance(name, $1)
        }
    }

    /// A short view of a wrong value for the error message.
    static func preview(_ value: Value) -> String {
        let text = ValueText.plain(value)
        let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return firstLine.count > 40 ? String(firstLine.prefix(40)) + "…" : firstLine
    }
}
