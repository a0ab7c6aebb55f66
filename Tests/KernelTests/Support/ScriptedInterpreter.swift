import Foundation
@testable import Kernel

/// A tiny interpreter double with a few commands, enough to drive every path of the core:
/// `fail` errors, `print X` streams, `show` displays, `ask` reads input, `wait` spins until
/// interrupted, `help` pages; anything else is echoed back as the result.
final class ScriptedInterpreter: Interpreter {
    var executed: [String] = []
    var seenCounts: [Int] = []
    var variables: [String: String] = [:]

    var info: InterpreterInfo {
        InterpreterInfo(implementation: "scripted", implementationVersion: "1.0", banner: "Scripted test kernel",
                        languageName: "convlens", languageVersion: "0.1", mimetype: "text/x-convlens",
                        fileExtension: ".cvl", pygmentsLexer: "python", codemirrorMode: "python",
                        helpLinks: [(text: "Docs", url: "https://example.org")])
    }

    func execute(_ code: String, context: ExecutionContext) -> ExecutionOutcome {
        executed.append(code)
        seenCounts.append(context.executionCount)
        switch code {
        case "fail":
            return .failure(name: "NameError", value: "fail is not defined", traceback: ["line 1, column 1", "fail", "^"])
        case "show":
            context.display(MimeBundle(data: ["text/plain": "picture"], metadata: ["width": 4]), displayID: "d1")
            context.update(MimeBundle(data: ["text/plain": "picture 2"]), displayID: "d1")
            return .success(result: nil, pager: nil)
        case "ask":
            do {
                let answer = try context.input(prompt: "Name? ", password: false)
                return .success(result: MimeBundle(data: ["text/plain": "hi " + answer]), pager: nil)
            } catch {
                return .failure(name: "StdinError", value: String(describing: error), traceback: [])
            }
        case "wait":
            while !context.isCancelled { usleep(1000) }
            return .failure(name: "Interrupted", value: "interrupted", traceback: [])
        case "help":
            return .success(result: nil, pager: MimeBundle(data: ["text/plain": "help text"]))
        case "clear":
            context.clearOutput(wait: true)
            return .success(result: nil, pager: nil)
        default:
            if code.hasPrefix("print ") {
                context.stream(.stdout, String(code.dropFirst(6)) + "\n")
                return .success(result: nil, pager: nil)
            }
            if code.hasPrefix("set ") {
                variables["x"] = String(code.dropFirst(4))
                return .success(result: nil, pager: nil)
            }
            return .success(result: MimeBundle(data: ["text/plain": code]), pager: nil)
        }
    }

    func complete(_ code: String, cursor: Int) -> CompletionResult {
        CompletionResult(matches: ["print", "probe"].filter { $0.hasPrefix(code) }, cursorStart: 0, cursorEnd: cursor,
                         types: ["function", "function"].prefix(code == "pri" ? 1 : 2).map { $0 })
    }

    func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? {
        code == "print" ? MimeBundle(data: ["text/plain": detailLevel == 1 ? "print(x): long" : "print(x)"]) : nil
    }

    func isComplete(_ code: String) -> Completeness {
        if code.hasSuffix("[") { return .incomplete(indent: "  ") }
        if code.contains(")") && !code.contains("(") { return .invalid }
        return .complete
    }

    func evaluateExpression(_ expression: String) -> ExpressionOutcome {
        if let value = variables[expression] { return .value(MimeBundle(data: ["text/plain": value])) }
        return .failure(name: "NameError", value: "\(expression) is not defined", traceback: [])
    }
}
