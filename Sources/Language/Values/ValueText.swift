/// Plain-text forms of values: `repr` for results and lists, `print` form for output.
public enum ValueText {
    /// The text/plain of a result: strings quoted, so `"3"` and `3` look different.
    public static func plain(_ value: Value) -> String {
        switch value {
        case .string(let text): return quoted(text)
        default: return printed(value)
        }
    }

    /// What `print` writes: strings bare, everything else as its plain form.
    public static func printed(_ value: Value) -> String {
        switch value {
        case .none: return "none"
        case .number(let number): return NumberFormatting.format(number)
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let values):
            let shown = values.prefix(100).map(plain)
            return "[" + shown.joined(separator: ", ") + (values.count > 100 ? ", … (\(values.count) items)" : "") + "]"
        case .range(let low, let high): return "\(low)..\(high)"
        case .table(let table): return TableRenderer(table: table).plainText()
        case .function(let builtin): return "<builtin \(builtin.signature)>"
        case .help(let help): return help.plain
        case .engine(let value): return value.summary
        case .widget(let widget): return widget.describe()
        }
    }

    /// A string in double quotes with quotes, backslashes and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
