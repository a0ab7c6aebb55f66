import Engine
import Foundation

/// One notebook's worth of state: its variables, builtins and random seed.
///
/// Variables live for the session. A statement assigns only once its value is
/// computed, so a failing cell keeps everything assigned before the failure.
public final class Session {
    public let registry: BuiltinRegistry
    public private(set) var variables: [String: Value] = [:]
    /// Where the running cell's output goes; a discarding sink between cells.
    public private(set) var output: CellOutput = DiscardingOutput()
    /// The seed every random choice in the language and engine follows (`seed(n)`).
    public internal(set) var randomSeed: UInt64 = 0
    /// Per-session state that builtin families keep (loaded models, sample lists), by key.
    var caches: [String: Any] = [:]
    private var random = SeededRandom(seed: 0)
    /// Names offered inside string arguments; engine families set these.
    public var completionSources = CompletionSources()
    private var displayCounter = 0
    /// The last cell's value (none after an assignment or a failure), for `convlens run --numbers`.
    public private(set) var lastResult: Value = .none
    /// The progress displays the running cell started; their bars are cleared when it succeeds.
    var cellProgress: [ProgressDisplay] = []
    /// The session's Jupyter widgets; the kernel adapter sets its host so they reach the front end.
    public let widgets: WidgetManager

    public init(registry: BuiltinRegistry = .standard(), widgets: WidgetManager = WidgetManager()) {
        self.registry = registry
        self.widgets = widgets
        completionSources = .engineBacked(self)
    }

    // MARK: Running cells

    /// Runs a cell: parses it all first (syntax errors run nothing), then runs statements in order.
    public func execute(_ code: String, output: CellOutput) -> CellOutcome {
        if let pager = PagerRequest(code) {
            return pagerOutcome(pager, source: code)
        }
        let (statements, errors) = Parser.parse(code)
        if let first = errors.first {
            return .failure(first, report: errors.flatMap { $0.report(source: code) })
        }
        return run(statements, source: code, output: output)
    }

    /// Evaluates one expression for user_expressions: no output, the value's bundle or the error.
    public func evaluateExpression(_ text: String) -> Result<DisplayBundle, LensError> {
        let (statements, errors) = Parser.parse(text)
        if let first = errors.first { return .failure(first) }
        guard statements.count == 1, case .expression = statements[0] else {
            return .failure(LensError(.syntax, "expected a single expression"))
        }
        switch run(statements, source: text, output: DiscardingOutput()) {
        case .success(let result, _): return .success(result ?? .text("none"))
        case .failure(let error, _): return .failure(error)
        }
    }

    private func run(_ statements: [Statement], source: String, output: CellOutput) -> CellOutcome {
        let previousOutput = self.output
        self.output = output
        let cancellation = CancellationScope(isCancelled: { [output] in output.isCancelled })
        defer {
            cancellation.end()
            self.output = previousOutput
        }
        let evaluator = Evaluator(session: self)
        var last: Value = .none
        lastResult = .none
        cellProgress = []
        do {
            for statement in statements {
                last = try evaluator.execute(statement)
            }
        } catch let error as LensError {
            return .failure(error, report: error.report(source: source))
        } catch {
            let wrapped = LensError(.engine, String(describing: error))
            return .failure(wrapped, report: wrapped.report(source: source))
        }
        lastResult = last
        for progress in cellProgress { progress.clearBar() }
        cellProgress = []
        if case .none = last { return .success(result: nil, pager: nil) }
        return .success(result: last.displayBundle(), pager: nil)
    }

    /// The numbers behind the last cell's value, as `save(x, "f.npy")` writes them; nil when it
    /// has none (text, a model, an assignment).
    public func lastResultArray() throws -> NpyArray? {
        guard let (shape, values) = FileBuiltins.numbers(of: lastResult) else { return nil }
        return try NpyArray(shape: shape, values: values)
    }

    private func pagerOutcome(_ request: PagerRequest, source: String) -> CellOutcome {
        if let builtin = registry.builtin(named: request.name) {
            return .success(result: nil, pager: HelpWriter(registry: registry).fullHelp(builtin).plain)
        }
        if let value = variables[request.name] {
            return .success(result: nil, pager: "\(request.name): \(value.typeName)\n\n" + ValueText.plain(value))
        }
        let error = LensError(.name, "'\(request.name)' is not defined", at: request.span,
                              hint: NameSuggestion.hint(for: request.name, among: registry.names + variables.keys))
        return .failure(error, report: error.report(source: source))
    }

    // MARK: Services for builtins

    /// Called after `seed(n)`: restarts the generator so the next random choice follows the new seed.
    func seedDidChange() {
        random = SeededRandom(seed: randomSeed)
    }

    /// Runs `body` with the session's generator: successive calls continue one stream,
    /// and `seed(n)` restarts it, so a notebook run top to bottom gives the same bytes.
    public func withRandom<Result>(_ body: (inout SeededRandom) throws -> Result) rethrows -> Result {
        try body(&random)
    }

    func assign(_ name: String, _ value: Value) {
        variables[name] = value
    }

    /// Throws `Interrupted` once the user asked to stop; long builtins call it at their check points.
    public func checkCancelled() throws {
        if output.isCancelled {
            throw LensError(.interrupted, "the cell was interrupted")
        }
    }

    /// A fresh display id for output that is later updated in place (progress).
    public func newDisplayID() -> String {
        displayCounter += 1
        return "convlens-\(ProcessInfo.processInfo.processIdentifier)-\(displayCounter)"
    }

    /// A session for widget callbacks, which run on the kernel's comm thread while a cell may
    /// be running here: it shares the registry and widgets (both thread-safe) and starts from a
    /// copy of the caches and seed taken now, on the cell's thread, so the two never touch one
    /// another's variables, caches, output or random stream.
    func callbackSession() -> Session {
        let child = Session(registry: registry, widgets: widgets)
        child.caches = caches
        child.randomSeed = randomSeed
        child.seedDidChange()
        return child
    }

    /// Forgets every variable (the kernel's restart does this by making a new session; tests use it).
    public func reset() {
        variables = [:]
        caches = [:]
    }
}

/// What running a cell gave.
public enum CellOutcome {
    /// `result` is the last expression's display (nil when it had no value);
    /// `pager` is documentation text for the front end's pager (`name?`).
    case success(result: DisplayBundle?, pager: String?)
    /// The first error, and the lines to show (every syntax error of the cell, or the one runtime error).
    case failure(LensError, report: [String])
}
