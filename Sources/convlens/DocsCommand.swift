import ArgumentParser
import Language

/// `convlens docs`: prints docs/reference.md, generated from the one registry of builtins.
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Print the language reference (Markdown) generated from the builtin registry.")

    func run() {
        print(BuiltinRegistry.referenceMarkdown(), terminator: "")
    }
}
