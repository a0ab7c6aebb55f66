/// Builtins that write to the cell's output: print, warn, show, clear_output.
enum OutputBuiltins {
    static let family = "Output"

    static var all: [Builtin] { [print, warn, show, clearOutput] }

    static let print = Builtin(
        "print", family: family, variadic: "values",
        returns: "none",
        summary: "Writes values to standard output, separated by spaces.",
        paragraph: "Strings are written without quotes; tables and models as text.",
        example: "print(\"hello, world\")\nprint(\"top-1:\", 0.93)"
    ) { call in
        call.session.output.write(call.rest.map(ValueText.printed).joined(separator: " ") + "\n", toStandardError: false)
        return .none
    }

    static let warn = Builtin(
        "warn", family: family, variadic: "values",
        returns: "none",
        summary: "Writes values to standard error, separated by spaces.",
        paragraph: "Notebooks show standard error in red.",
        example: "warn(\"careful\")"
    ) { call in
        call.session.output.write(call.rest.map(ValueText.printed).joined(separator: " ") + "\n", toStandardError: true)
        return .none
    }

    static let show = Builtin(
        "show", family: family, variadic: "values",
        returns: "none",
        summary: "Displays values in the middle of a cell.",
        paragraph: "Only the last expression of a cell is shown automatically; show displays anything earlier, "
            + "each value with its richest form (pictures as PNG, tables as HTML).",
        example: "show(image(\"chelsea\"))"
    ) { call in
        for value in call.rest {
            call.session.output.display(value.displayBundle(), id: nil)
        }
        return .none
    }

    static let clearOutput = Builtin(
        "clear_output", family: family,
        parameters: [Parameter("wait", .bool, default: .bool(false), doc: "clear only when new output arrives (no flicker)")],
        returns: "none",
        summary: "Clears the cell's output so far.",
        paragraph: "With wait: true the old output stays until something new replaces it, which avoids flicker in loops.",
        example: "clear_output()\nclear_output(wait: true)"
    ) { call in
        call.session.output.clearOutput(wait: try call.bool("wait"))
        return .none
    }
}
