import Engine

/// Points the engine's cooperative cancellation at the running cell for the cell's duration.
///
/// The engine's long loops call `Cancellation.check()`; while a cell runs that asks the
/// cell's output (the kernel's interrupt flag). `end()` restores what was there before.
struct CancellationScope {
    private let previous: (() -> Bool)?

    init(isCancelled: @escaping () -> Bool) {
        previous = Cancellation.current
        Cancellation.current = isCancelled
    }

    func end() {
        Cancellation.current = previous
    }
}
