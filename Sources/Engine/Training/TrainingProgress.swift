/// What `Trainer` reports while it runs and what it leaves behind.

/// A moment of a training run, handed to the progress callback at most every
/// `TrainingOptions.reportInterval` seconds and once at the end.
public struct TrainingSnapshot: Sendable {
    /// Examples trained on in this run (a partially finished epoch counts what it did).
    public var examples: Int
    /// The epoch under way, from 1.
    public var epoch: Int
    /// Optimizer steps taken in this run.
    public var steps: Int
    /// Loss of the last batch.
    public var batchLoss: Float
    /// Exponential moving average of batch losses (ρ = 0.95, bias-corrected as Adam's moments
    /// are, so the first value is the first loss rather than 5% of it).
    public var smoothedLoss: Float
    /// Accuracy (0...1) on up to `TrainingOptions.validationSample` validation examples at the
    /// last report; nil without a validation set or for regression.
    public var validationAccuracy: Float?
    /// Training throughput since the run started, wall clock.
    public var examplesPerSecond: Double
    /// Average milliseconds per example of the forward pass (with the loss) and of the
    /// backward pass (with the optimizer step), since the run started.
    public var forwardMilliseconds: Double
    public var backwardMilliseconds: Double
    /// The learning rate of the last optimizer step (a `TrainingControl` may change it mid-run).
    public var rate: Float = 0
    /// True in the report sent when a `TrainingControl` paused the run (time paused does not
    /// count in `examplesPerSecond`).
    public var paused = false
}

/// One row of a training history: averages over the steps since the previous row.
public struct TrainingHistoryEntry: Sendable, Equatable {
    /// Examples trained on in this run when the row was written.
    public var examples: Int
    public var epoch: Int
    /// Mean batch loss over the row's steps.
    public var loss: Float
    public var smoothedLoss: Float
    /// The latest validation accuracy measured, if any.
    public var validationAccuracy: Float?
    /// The learning rate at the row's last step.
    public var rate: Float = 0
}

/// How a training run ended.
public struct TrainingResult: Sendable {
    public var history: [TrainingHistoryEntry]
    /// True when an interrupt stopped the run between batches; the weights are those after
    /// the last finished batch.
    public var interrupted: Bool
    public var examples: Int
    public var steps: Int
    /// Accuracy on the whole validation set after training (classification with a
    /// validation set only).
    public var validationAccuracy: Float?
    /// The last progress snapshot (throughput, timings).
    public var last: TrainingSnapshot
}

/// The settings of one `Trainer.train` run.
public struct TrainingOptions: Sendable {
    public var epochs: Int
    /// Examples per optimizer step; the last batch of an epoch may be smaller.
    public var batchSize: Int
    public var optimizer: OptimizerSettings
    /// Seeds the per-epoch shuffles and the dropout masks.
    public var seed: UInt64
    /// Seconds between progress callbacks (ConvLens redraws its dashboard a few times a second).
    public var reportInterval: Double
    /// How many validation examples (the first ones) each report measures accuracy on; the
    /// whole set is measured once at the end.
    public var validationSample: Int
    /// Steps per history row; nil: as many as keep the history near 500 rows.
    public var historyInterval: Int?
    /// When set, progress is reported each time the examples seen pass a multiple of this
    /// many (instead of every `reportInterval` seconds): learning curves sampled at fixed
    /// points, as the benchmark's "test accuracy every 10,000 examples".
    public var reportEveryExamples: Int?

    /// Throws `EngineError.invalid` for epochs, a batch size, a history interval or a report
    /// spacing below 1.
    public init(epochs: Int, batchSize: Int, optimizer: OptimizerSettings, seed: UInt64 = 0, reportInterval: Double = 0.25,
                validationSample: Int = 200, historyInterval: Int? = nil, reportEveryExamples: Int? = nil) throws {
        guard epochs >= 1 else { throw EngineError.invalid("train: epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw EngineError.invalid("train: the batch size must be at least 1, got \(batchSize)") }
        if let historyInterval, historyInterval < 1 {
            throw EngineError.invalid("train: the history interval must be at least 1 step, got \(historyInterval)")
        }
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.seed = seed
        self.reportInterval = reportInterval
        self.validationSample = validationSample
        self.historyInterval = historyInterval
        if let reportEveryExamples, reportEveryExamples < 1 {
            throw EngineError.invalid("train: reports every \(reportEveryExamples) examples; it must be at least 1")
        }
        self.reportEveryExamples = reportEveryExamples
    }
}
