/// Writes documentation from builtin declarations: the inspector's text, `help`, the pager.
struct HelpWriter {
    let registry: BuiltinRegistry

    /// Signature and summary: the inspector's detail level 0.
    func short(_ builtin: Builtin) -> HelpText {
        HelpText(plain: "\(builtin.signature)\n\n\(builtin.summary)",
                 markdown: "`\(builtin.signature)`\n\n\(builtin.summary)")
    }

    /// Everything about one builtin: `help(name)`, `name?` and detail level 1.
    func fullHelp(_ builtin: Builtin) -> HelpText {
        var plain = [builtin.signature, "", builtin.summary]
        var markdown = ["`\(builtin.signature)`", "", builtin.summary]
        if !builtin.paragraph.isEmpty {
            plain += ["", builtin.paragraph]
            markdown += ["", builtin.paragraph]
        }
        if !builtin.parameters.isEmpty || builtin.variadic != nil {
            plain += ["", "Arguments:"]
            markdown += ["", "| argument | type | default | meaning |", "| --- | --- | --- | --- |"]
            let width = builtin.parameters.map { $0.name.count }.max() ?? 0
            for parameter in builtin.parameters {
                let defaultText = parameter.defaultValue.map { " (default \(ValueText.plain($0)))" } ?? ""
                plain.append("  " + parameter.name.padding(to: width) + "  \(parameter.type.name): \(parameter.documentation)\(defaultText)")
                let defaultCell = parameter.defaultValue.map { "`\(ValueText.plain($0))`" } ?? "required"
                markdown.append("| `\(parameter.name)` | \(parameter.type.name.replacingOccurrences(of: "|", with: "\\|")) "
                                + "| \(defaultCell) | \(parameter.documentation) |")
            }
            if let variadic = builtin.variadic {
                plain.append("  \(variadic)...  any number of values")
                markdown.append("| `\(variadic)...` | any | | any number of values |")
            }
        }
        plain += ["", "Returns: \(builtin.returns)", "", "Example:"]
        plain += builtin.example.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        markdown += ["", "Returns: \(builtin.returns)", "", "Example:", "", "```", builtin.example, "```"]
        if let lecture = builtin.lecture {
            plain += ["", "From: \(lecture)"]
            markdown += ["", "From: \(lecture)"]
        }
        return HelpText(plain: plain.joined(separator: "\n"), markdown: markdown.joined(separator: "\n"))
    }

    /// The list of every builtin by family: what `help()` shows.
    func index() -> HelpText {
        var plain = ["ConvLens builtins (help(name) or name? for details):"]
        var markdown = ["**ConvLens builtins** (`help(name)` or `name?` for details)"]
        for family in registry.families {
            plain += ["", family.name + ":"]
            markdown += ["", "*\(family.name)*", ""]
            let width = family.builtins.map { $0.name.count }.max() ?? 0
            for builtin in family.builtins {
                plain.append("  " + builtin.name.padding(to: width) + "  " + builtin.summary)
                markdown.append("- `\(builtin.name)`: \(builtin.summary)")
            }
        }
        return HelpText(plain: plain.joined(separator: "\n"), markdown: markdown.joined(separator: "\n"))
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
