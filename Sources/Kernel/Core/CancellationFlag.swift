/// Whether the running cell should stop: set by interrupt_request (control
/// thread) or by SIGINT, read by the cell at its check points.
public final class CancellationFlag: Sendable {
    private let requested = AtomicFlag()

    public init() {}

    public var isCancelled: Bool { requested.isSet || InterruptSignal.isPending }

    public func cancel() { requested.set() }

    /// Called when a cell starts: an interrupt that arrived while idle is forgotten.
    public func reset() {
        requested.clear()
        InterruptSignal.reset()
    }
}
