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
        var named: [(label: String, value: Value, span: SourceSpan)] = []
        let names = builtin.parameters.map(\.name)

        for argument in arguments {
            let parameter: Parameter
            if let label = argument.label {
                if builtin.takesAnyNamed && builtin.parameter(named: label) == nil {
                    if named.contains(where: { $0.label == label }) {
                        throw LensError(.argument, "argument '\(label)' of \(builtin.name) is given twice",
                                        at: argument.labelSpan ?? argument.span)
                    }
                    named.append((label, argument.value, argument.span))
                    continue
                }
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
        var invocation = Invocation(builtin: builtin, values: values, rest: rest, spans: spans, callSpan: callSpan,
                                    given: given, session: session)
        invocation.named = named
        return invocation
    }

    private func check(_ value: Value, for parameter: Parameter, at span: SourceSpan) throws {
        // An optional parameter (default none) also accepts none.
        if case .none = value, let defaultValue = parameter.defaultValue, case .none = defaultValue { return }
        if case .number(let number) = value, parameter.type.takesNumbers {
            try checkRepresentable(number, for: parameter, at: span)
        }
        guard parameter.type.accepts(value) else {
            throw LensError(.type, "argument '\(parameter.name)' of \(builtin.name) expects \(parameter.type.expectation), "
                            + "got \(value.typeName) \(Self.preview(value))", at: span)
        }
        if case .choice(let words) = parameter.type, case .string(let word) = value, !words.contains(word) {
            throw LensError(.value, "'\(word)' is not a valid \(parameter.name) for \(builtin.name)", at: span,
                            hint: "choose one of " + orderedByCloseness(word, words).map { "\"\($0)\"" }.joined(separator: ", "))
        }
        if let range = parameter.range {
            for number in Self.numbers(in: value) where !range.contains(number) {
                throw LensError(.value, "argument '\(parameter.name)' of \(builtin.name) must be \(range), "
                                + "got \(NumberFormatting.format(number))", at: span)
            }
        }
    }

    /// Refuses NaN and infinity (`1e400`, `1e400 - 1e400`) and numbers the engine's 32-bit floats
    /// cannot hold (`1e308` would become infinity there), before any body converts them.
    private func checkRepresentable(_ number: Double, for parameter: Parameter, at span: SourceSpan) throws {
        guard number.isFinite else {
            throw LensError(.value, "argument '\(parameter.name)' of \(builtin.name) is not a finite number, "
                            + "got \(NumberFormatting.format(number))", at: span,
                            hint: "numbers beyond 1.8e308 are infinite, and inf - inf is nan")
        }
        guard abs(number) <= Double(Float.greatestFiniteMagnitude) else {
            throw LensError(.value, "argument '\(parameter.name)' of \(builtin.name) is too large for the engine's "
                            + "32-bit numbers (at most 3.4e38 in size), got \(NumberFormatting.format(number))", at: span)
        }
    }

    /// The numbers a range applies to: the number itself, or each whole number of a list or range.
    private static func numbers(in value: Value) -> [Double] {
        switch value {
        case .number(let number): return [number]
        case .range(let low, let high): return [Double(low), Double(high)]
        case .list(let items): return items.compactMap { if case .number(let number) = $0 { return number } else { return nil } }
        default: return []
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
