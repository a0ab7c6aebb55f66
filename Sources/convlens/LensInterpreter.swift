import Kernel
import Language

/// Adapts the language's `Session` to the kernel's `Interpreter` protocol.
///
/// The only place that knows both sides: it converts the language's display
/// bundles, outcomes and completions to the kernel's types, and routes a cell's
/// output through the kernel's `ExecutionContext`.
final class LensInterpreter: Interpreter {
    let session = Session()

    var info: InterpreterInfo {
        InterpreterInfo(implementation: "convlens", implementationVersion: "0.1.0",
                        banner: "ConvLens 0.1.0: see what convolutional networks see (help() lists the builtins)",
                        languageName: "convlens", languageVersion: "0.1.0",
                        mimetype: "text/x-convlens", fileExtension: ".cvl",
                        pygmentsLexer: "convlens", codemirrorMode: "python",
                        helpLinks: [])
    }

    func execute(_ code: String, context: ExecutionContext) -> ExecutionOutcome {
        switch session.execute(code, output: ContextOutput(context)) {
        case .success(let result, let pager):
            return .success(result: result.map(Self.bundle), pager: pager.map { MimeBundle(data: ["text/plain": $0]) })
        case .failure(let error, let report):
            return .failure(name: error.kind.rawValue, value: error.message, traceback: report)
        }
    }

    func complete(_ code: String, cursor: Int) -> CompletionResult {
        let completions = session.complete(code, cursor: cursor)
        return CompletionResult(matches: completions.matches, cursorStart: completions.start,
                                cursorEnd: completions.end, types: completions.types)
    }

    func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? {
        session.inspect(code, cursor: cursor, detailLevel: detailLevel).map(Self.bundle)
    }

    func isComplete(_ code: String) -> Completeness {
        switch session.isComplete(code) {
        case .complete: return .complete
        case .incomplete(let indent): return .incomplete(indent: indent)
        case .invalid: return .invalid
        }
    }

    func evaluateExpression(_ expression: String) -> ExpressionOutcome {
        switch session.evaluateExpression(expression) {
        case .success(let bundle): return .value(Self.bundle(bundle))
        case .failure(let error): return .failure(name: error.kind.rawValue, value: error.message,
                                                   traceback: error.report(source: expression))
        }
    }

    static func bundle(_ display: DisplayBundle) -> MimeBundle {
        MimeBundle(data: display.data, metadata: display.metadata)
    }
}

/// A cell's output sent through the kernel's execution context.
private final class ContextOutput: CellOutput {
    let context: ExecutionContext

    init(_ context: ExecutionContext) {
        self.context = context
    }

    func write(_ text: String, toStandardError: Bool) {
        context.stream(toStandardError ? .stderr : .stdout, text)
    }

    func display(_ bundle: DisplayBundle, id: String?) {
        context.display(LensInterpreter.bundle(bundle), displayID: id)
    }

    func update(_ bundle: DisplayBundle, id: String) {
        context.update(LensInterpreter.bundle(bundle), displayID: id)
    }

    func clearOutput(wait: Bool) {
        context.clearOutput(wait: wait)
    }

    func readLine(prompt: String, password: Bool) throws -> String {
        try context.input(prompt: prompt, password: password)
    }

    var isCancelled: Bool { context.isCancelled }
}
