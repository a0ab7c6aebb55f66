/// Where a running cell sends its output and reads its input.
///
/// The kernel adapter implements it over the Jupyter execution context; tests
/// implement it in memory. The language knows nothing of ZeroMQ.
public protocol CellOutput: AnyObject {
    /// Appends text to stdout (`print`) or stderr (`warn`).
    func write(_ text: String, toStandardError: Bool)
    /// Shows a value mid-cell; with an id, `update` can later replace it in place.
    func display(_ bundle: DisplayBundle, id: String?)
    /// Replaces the display shown earlier under `id` (progress of long work).
    func update(_ bundle: DisplayBundle, id: String)
    /// Clears the cell's output; with `wait`, only once new output arrives.
    func clearOutput(wait: Bool)
    /// Reads a line from the user; throws when the front end cannot ask.
    func readLine(prompt: String, password: Bool) throws -> String
    /// True once the user asked to stop the cell.
    var isCancelled: Bool { get }
}

/// An output that drops everything: for evaluating user_expressions and tests.
public final class DiscardingOutput: CellOutput {
    public init() {}
    public func write(_ text: String, toStandardError: Bool) {}
    public func display(_ bundle: DisplayBundle, id: String?) {}
    public func update(_ bundle: DisplayBundle, id: String) {}
    public func clearOutput(wait: Bool) {}
    public func readLine(prompt: String, password: Bool) throws -> String {
        throw LensError(.io, "input is not available here")
    }
    public var isCancelled: Bool { false }
}

/// An output that records everything in memory, for tests and the documentation examples.
public final class RecordingOutput: CellOutput {
    public enum Event {
        case stdout(String), stderr(String), display(DisplayBundle, id: String?), update(DisplayBundle, id: String), clear(wait: Bool)
    }

    public private(set) var events: [Event] = []
    /// Lines `readLine` answers with, in order.
    public var inputLines: [String]
    /// Decides cancellation; tests use it to stop long cells.
    public var cancellation: () -> Bool

    public init(inputLines: [String] = [], cancellation: @escaping () -> Bool = { false }) {
        self.inputLines = inputLines
        self.cancellation = cancellation
    }

    public func write(_ text: String, toStandardError: Bool) {
        events.append(toStandardError ? .stderr(text) : .stdout(text))
    }
    public func display(_ bundle: DisplayBundle, id: String?) { events.append(.display(bundle, id: id)) }
    public func update(_ bundle: DisplayBundle, id: String) { events.append(.update(bundle, id: id)) }
    public func clearOutput(wait: Bool) { events.append(.clear(wait: wait)) }
    public func readLine(prompt: String, password: Bool) throws -> String {
        events.append(.stdout(prompt))
        guard !inputLines.isEmpty else { throw LensError(.io, "no input left") }
        return inputLines.removeFirst()
    }
    public var isCancelled: Bool { cancellation() }

    /// Everything written to stdout, joined.
    public var stdout: String {
        events.compactMap { if case .stdout(let text) = $0 { return text } else { return nil } }.joined()
    }

    /// Everything written to stderr, joined.
    public var stderr: String {
        events.compactMap { if case .stderr(let text) = $0 { return text } else { return nil } }.joined()
    }

    /// The bundles shown with `display`.
    public var displays: [DisplayBundle] {
        events.compactMap { if case .display(let bundle, _) = $0 { return bundle } else { return nil } }
    }
}
