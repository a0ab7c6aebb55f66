extension BuiltinRegistry {
    /// docs/reference.md for the standard builtins; a test keeps the file equal to this text.
    public static func referenceMarkdown() -> String {
        standard().referenceMarkdown()
    }

    /// The reference of every builtin in this registry, by family, written from the declarations.
    public func referenceMarkdown() -> String {
        let writer = HelpWriter(registry: self)
        var lines = [
            "# ConvLens language reference",
            "",
            "<!-- Generated from the builtin registry (BuiltinRegistry.referenceMarkdown()); do not edit by hand. -->",
            "",
            "Cells hold statements, one per line (a statement may continue inside brackets or after an operator).",
            "`name = expression` assigns; the value of the last expression is shown; `#` starts a comment.",
            "Values: numbers (`1`, `2.5e-3`), strings (`\"chelsea\"` or `'chelsea'`), `true`, `false`, `none`,",
            "lists `[a, b]`, ranges `0..15` (both ends included), tables, images, models and tensors.",
            "Operators: `+ - * / % **`, comparisons `== != < <= > >=`, `and`, `or`, `not`;",
            "member access `t.probability`, indexing `xs[0]` (negative counts from the end), `t[\"class\"]`, slicing `xs[0..9]`.",
            "Calls take positional then named arguments: `classify(net, img, top: 3)`.",
            "`name?` alone in a cell shows a builtin's documentation.",
            "",
            "## Contents",
            "",
        ]
        for family in families {
            lines.append("- \(family.name): " + family.builtins.map { "[`\($0.name)`](#\($0.name))" }.joined(separator: ", "))
        }
        for family in families {
            lines += ["", "## \(family.name)"]
            for builtin in family.builtins {
                lines += ["", "### \(builtin.name)", "", writer.fullHelp(builtin).markdown]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
