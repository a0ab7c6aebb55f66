import Foundation

/// A named thread that runs one channel's loop and can be waited for.
final class ChannelThread: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private let thread: Thread

    init(name: String, body: @escaping @Sendable () -> Void) {
        let finished = self.finished
        thread = Thread {
            body()
            finished.signal()
        }
        thread.name = name
        thread.stackSize = 1 << 20
    }

    func start() { thread.start() }

    /// Waits for the loop to end; false when `timeout` seconds passed first.
    @discardableResult
    func join(timeout: Double) -> Bool {
        finished.wait(timeout: .now() + timeout) == .success
    }
}
