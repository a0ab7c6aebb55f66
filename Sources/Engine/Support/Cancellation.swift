import Foundation

/// Cooperative interruption of long computations.
///
/// The kernel cannot kill a thread that is inside OpenBLAS, so long loops (every op,
/// every backward step, every optimisation iteration) call `try Cancellation.check()`,
/// which throws `EngineError.cancelled` once the closure in `current` returns true.
/// The language installs a closure per cell (for example one that reads an interrupt flag
/// set by the kernel's control channel) and removes it afterwards.
public enum Cancellation {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var storage: (() -> Bool)?

    /// The question "should we stop now?"; nil means never. Safe to set from any thread.
    public static var current: (() -> Bool)? {
        get { lock.lock(); defer { lock.unlock() }; return storage }
        set { lock.lock(); storage = newValue; lock.unlock() }
    }

    /// Throws `EngineError.cancelled` if the current closure says to stop.
    public static func check() throws {
        if let shouldStop = current, shouldStop() {
            throw EngineError.cancelled
        }
    }

    /// Runs `body` with `shouldStop` installed, restoring the previous closure afterwards.
    public static func withHandler<Result>(_ shouldStop: @escaping () -> Bool,
                                           _ body: () throws -> Result) rethrows -> Result {
        let previous = current
        current = shouldStop
        defer { current = previous }
        return try body()
    }
}
