import Foundation

/// Live controls of a running `Trainer.train`, set from another thread (a front end's pause
/// button or learning-rate slider, on the kernel's comm thread) and read by the trainer
/// between batches, so a change takes effect at the next batch and never inside one.
///
/// The engine knows nothing of where the changes come from; all access is under a lock.
public final class TrainingControl: @unchecked Sendable {
    private let lock = NSLock()
    private var pausedStorage = false
    private var rateStorage: Float?

    public init() {}

    /// While true the trainer waits before its next batch (still honouring interrupts);
    /// training resumes with the same data order and weights when it turns false.
    public var isPaused: Bool {
        get { lock.withLock { pausedStorage } }
        set { lock.withLock { pausedStorage = newValue } }
    }

    /// A learning rate to use from the next optimizer step on; nil keeps the run's own.
    /// Values that are not positive and finite are ignored.
    public var rate: Float? {
        get { lock.withLock { rateStorage } }
        set { lock.withLock { rateStorage = newValue.flatMap { $0 > 0 && $0.isFinite ? $0 : nil } } }
    }
}
