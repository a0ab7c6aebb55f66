import Foundation

/// The seam between the Jupyter protocol and whatever evaluates cells.
///
/// The kernel knows nothing of what a cell means: it hands code to an
/// `Interpreter`, gives it an `ExecutionContext` to publish outputs and read
/// input through, and turns the returned outcome into protocol replies.
/// Every method is called on the shell thread, one at a time.
public protocol Interpreter: AnyObject {
    /// Static facts for kernel_info_reply.
    var info: InterpreterInfo { get }

    /// Runs one cell. Outputs go through `context` as they happen; the
    /// returned outcome is the cell's result (or its error).
    func execute(_ code: String, context: ExecutionContext) -> ExecutionOutcome

    /// Completions at `cursor` (a Unicode scalar offset into `code`, as Jupyter counts).
    func complete(_ code: String, cursor: Int) -> CompletionResult

    /// Documentation for the name at `cursor`; nil when there is nothing there.
    func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle?

    /// Whether `code` is ready to run, for consoles deciding on Enter.
    func isComplete(_ code: String) -> Completeness

    /// Evaluates an expression for user_expressions without side effects on
    /// the execution count; returns a display bundle or an error.
    func evaluateExpression(_ expression: String) -> ExpressionOutcome
}

public struct InterpreterInfo: Sendable {
    public var implementation: String
    public var implementationVersion: String
    public var banner: String
    public var languageName: String
    public var languageVersion: String
    public var mimetype: String
    public var fileExtension: String
    public var pygmentsLexer: String
    public var codemirrorMode: String
    public var helpLinks: [(text: String, url: String)]

    public init(implementation: String, implementationVersion: String, banner: String,
                languageName: String, languageVersion: String, mimetype: String,
                fileExtension: String, pygmentsLexer: String, codemirrorMode: String,
                helpLinks: [(text: String, url: String)]) {
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.banner = banner
        self.languageName = languageName
        self.languageVersion = languageVersion
        self.mimetype = mimetype
        self.fileExtension = fileExtension
        self.pygmentsLexer = pygmentsLexer
        self.codemirrorMode = codemirrorMode
        self.helpLinks = helpLinks
    }
}

/// A MIME bundle: mimetype -> data (text, or base64 for binary types), plus metadata.
/// `metadata` values are JSON-compatible (String, Int, Double, Bool, arrays, dictionaries).
public struct MimeBundle: @unchecked Sendable {
    public var data: [String: String]
    public var metadata: [String: Any]
    public init(data: [String: String], metadata: [String: Any] = [:]) {
        self.data = data
        self.metadata = metadata
    }
}

/// What a running cell can do to the outside world.
public protocol ExecutionContext: AnyObject {
    /// Appends text to the cell's stdout or stderr stream.
    func stream(_ name: StreamName, _ text: String)
    /// Shows a rich value; with a `displayID`, later `update` calls replace it in place.
    func display(_ bundle: MimeBundle, displayID: String?)
    /// Replaces the picture shown earlier under `displayID`.
    func update(_ bundle: MimeBundle, displayID: String)
    /// Clears the cell's output; with `wait`, only once new output arrives.
    func clearOutput(wait: Bool)
    /// Asks the front end for a line of input. Throws when the request did not allow stdin.
    func input(prompt: String, password: Bool) throws -> String
    /// True once the user asked to interrupt; long work polls this at its check points.
    var isCancelled: Bool { get }
    /// The execution count this cell will be reported under.
    var executionCount: Int { get }
}

public enum StreamName: String, Sendable { case stdout, stderr }

public enum ExecutionOutcome {
    /// The cell ran; `result` is its last expression's value to show as execute_result, if any.
    /// `pager` holds text for the front end's pager (help), shown as a payload.
    case success(result: MimeBundle?, pager: MimeBundle?)
    /// The cell failed: the protocol's ename, evalue and traceback lines.
    case failure(name: String, value: String, traceback: [String])
}

public enum ExpressionOutcome {
    case value(MimeBundle)
    case failure(name: String, value: String, traceback: [String])
}

public struct CompletionResult: Sendable {
    public var matches: [String]
    public var cursorStart: Int
    public var cursorEnd: Int
    /// Per-match type labels for front ends that show them (`_jupyter_types_experimental`).
    public var types: [String]
    public init(matches: [String], cursorStart: Int, cursorEnd: Int, types: [String] = []) {
        self.matches = matches
        self.cursorStart = cursorStart
        self.cursorEnd = cursorEnd
        self.types = types
    }
}

public enum Completeness: Equatable, Sendable {
    case complete
    case incomplete(indent: String)
    case invalid
    case unknown
}

/// Thrown by `ExecutionContext.input` when the front end did not allow stdin.
public struct StdinNotAllowed: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "this front end does not support input requests" }
}
