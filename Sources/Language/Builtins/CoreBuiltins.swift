import Engine
import Foundation

/// Builtins about the language itself: help, sizes and types, the seed, waiting and input.
enum CoreBuiltins {
    static let family = "Language"

    static var all: [Builtin] { [help, len, type, seed, sleep, input] }

    static let help = Builtin(
        "help", family: family,
        parameters: [Parameter("name", .any, default: Value.none, doc: "a builtin or its name; none lists every builtin")],
        returns: "help",
        summary: "Shows the documentation of a builtin, or lists them all.",
        paragraph: "Every builtin is declared once with its arguments, types, defaults and an example; help, "
            + "completion, the inspector (Shift+Tab) and docs/reference.md are all written from that declaration. "
            + "`name?` alone in a cell shows the same text in the pager.",
        example: "help()\nhelp(classify)\nhelp(\"image\")"
    ) { call in
        let writer = HelpWriter(registry: call.session.registry)
        switch call.value("name") {
        case .none:
            return .help(writer.index())
        case .function(let builtin):
            return .help(writer.fullHelp(builtin))
        case .string(let name):
            guard let builtin = call.session.registry.builtin(named: name) else {
                throw call.error("name", .name, "there is no builtin '\(name)'",
                                 hint: NameSuggestion.hint(for: name, among: call.session.registry.names) ?? "help() lists them all")
            }
            return .help(writer.fullHelp(builtin))
        case let other:
            return .help(HelpText(plain: "\(other.typeName): " + ValueText.plain(other),
                                  markdown: "`\(other.typeName)`: " + ValueText.plain(other)))
        }
    }

    static let len = Builtin(
        "len", family: family,
        parameters: [Parameter("value", .any, doc: "a list, range, string or table")],
        returns: "number",
        summary: "Counts the items of a list, range, string or table.",
        paragraph: "A table counts its rows; a string counts its characters.",
        example: "len([1, 2, 3])   # 3\nlen(0..15)       # 16"
    ) { call in
        guard let count = call.value("value").count else {
            throw call.error("value", .type, "\(call.value("value").typeName) has no length",
                             hint: "len works on lists, ranges, strings and tables")
        }
        return .number(Double(count))
    }

    static let type = Builtin(
        "type", family: family,
        parameters: [Parameter("value", .any, doc: "any value")],
        returns: "string",
        summary: "Names the type of a value.",
        paragraph: "Useful when an error says a builtin expected another type.",
        example: "type(1.5)        # \"number\"\ntype(model())    # \"model\""
    ) { call in
        .string(call.value("value").typeName)
    }

    static let seed = Builtin(
        "seed", family: family,
        parameters: [Parameter("n", .integer, range: .atLeast(0), doc: "the seed")],
        returns: "none",
        summary: "Makes every random choice repeatable.",
        paragraph: "Random initialisations, sampled noise and t-SNE starts all draw from one generator seeded "
            + "here: the same seed gives the same numbers and the same pictures, byte for byte.",
        example: "seed(0)"
    ) { call in
        let n = try call.integer("n")
        call.session.randomSeed = UInt64(n)
        call.session.seedDidChange()
        return .none
    }

    static let sleep = Builtin(
        "sleep", family: family,
        parameters: [Parameter("seconds", .number, range: .atLeast(0), doc: "how long to wait")],
        returns: "none",
        summary: "Waits, checking for an interrupt every 10 ms.",
        paragraph: "Handy to test that interrupting a cell (the stop button) works: the cell stops within "
            + "about 10 ms and keeps the session's variables.",
        example: "sleep(0.5)"
    ) { call in
        let seconds = try call.number("seconds")
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            try call.session.checkCancelled()
            Thread.sleep(forTimeInterval: min(0.01, max(0, deadline.timeIntervalSinceNow)))
        }
        try call.session.checkCancelled()
        return .none
    }

    static let input = Builtin(
        "input", family: family,
        parameters: [
            Parameter("prompt", .string, default: .string(""), doc: "the text shown before the answer"),
            Parameter("password", .bool, default: .bool(false), doc: "hide what is typed"),
        ],
        returns: "string",
        summary: "Asks the user for a line of text.",
        paragraph: "The question goes to the notebook through the kernel's stdin channel; front ends that "
            + "cannot answer make this an error.",
        example: "name = input(\"Your name? \")"
    ) { call in
        do {
            return .string(try call.session.output.readLine(prompt: try call.string("prompt"),
                                                            password: try call.bool("password")))
        } catch let error as LensError {
            throw error
        } catch {
            // An interrupt while waiting for the answer (the button or SIGINT) is the same
            // action as any other interrupt and gets the same error, whatever the channel said.
            try call.session.checkCancelled()
            throw LensError(.io, "input is not available: \(error)")
        }
    }
}
