import Kernel
import Language

/// Adapts the language's `Session` to the kernel's `Interpreter` protocol.
final class LensInterpreter: Interpreter {
    let session = Session()

    var info: InterpreterInfo {
        InterpreterInfo(implementation: "convlens", implementationVersion: "0.1.0",
                        banner: "ConvLens 0.1.0: see what convolutional networks see",
                        languageName: "convlens", languageVersion: "0.1.0",
                        mimetype: "text/x-convlens", fileExtension: ".cvl",
                        pygmentsLexer: "python", codemirrorMode: "python",
                        helpLinks: [])
    }

    func execute(_ code: String, context: ExecutionContext) -> ExecutionOutcome {
        .success(result: MimeBundle(data: ["text/plain": code]), pager: nil)
    }
    func complete(_ code: String, cursor: Int) -> CompletionResult {
        CompletionResult(matches: [], cursorStart: cursor, cursorEnd: cursor)
    }
    func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? { nil }
    func isComplete(_ code: String) -> Completeness { .complete }
    func evaluateExpression(_ expression: String) -> ExpressionOutcome {
        .value(MimeBundle(data: ["text/plain": expression]))
    }
}
