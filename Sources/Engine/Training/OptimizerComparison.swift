/// ConvNetJS's "SGD / Adagrad / Adadelta" demo (lectures 002 and 004): one network description
/// trained once per update rule from the same initial weights and on the same example order,
/// so the loss curves differ only by the optimizer.
public enum OptimizerComparison {
    /// One optimizer's run.
    public struct Run {
        public let settings: OptimizerSettings
        /// The network this run trained (its own copy, started from the shared initial weights).
        public let network: TrainableNetwork
        /// Mean loss of the untrained network on the first `initialLossSample` training
        /// examples: the common starting point of every curve (equal across runs because the
        /// initial weights are).
        public let initialLoss: Float
        public let result: TrainingResult

        /// The smoothed training loss when the run ended.
        public var finalLoss: Float { result.last.smoothedLoss }

        /// (examples seen, smoothed loss) from (0, initial loss) through every history row.
        public var curve: [(Int, Float)] {
            [(0, initialLoss)] + result.history.map { ($0.examples, $0.smoothedLoss) }
        }
    }

    /// How many training examples (the first ones) the initial loss is measured on.
    public static let initialLossSample = 1000

    /// Trains `make()` once per entry of `optimizers`, in order. `make` must build the same
    /// network with the same weights each call (the caller seeds it identically); every run
    /// uses `options` (epochs, batch size, seed of the data order and dropout masks, reports)
    /// with its own optimizer in place of `options.optimizer`. `progress` receives the index of
    /// the running optimizer with each of `Trainer`'s snapshots.
    ///
    /// An interrupt ends the comparison after the run it stopped: the runs so far are returned,
    /// the last with `result.interrupted` set. Throws what `Trainer.train` throws (shape
    /// mismatches naming the dataset, a diverging loss) and `EngineError.invalid` for an empty
    /// optimizer list.
    public static func run(make: () throws -> TrainableNetwork, data: LabeledDataset, validation: LabeledDataset? = nil,
                           optimizers: [OptimizerSettings], options: TrainingOptions,
                           progress: ((Int, TrainingSnapshot) -> Void)? = nil) throws -> [Run] {
        guard !optimizers.isEmpty else { throw EngineError.invalid("compare optimizers: the list of optimizers is empty") }
        var runs: [Run] = []
        for (index, settings) in optimizers.enumerated() {
            let network = try make()
            try Trainer.check(data, fits: network)
            let initial = try initialLoss(network, on: data)
            var runOptions = options
            runOptions.optimizer = settings
            let result = try Trainer.train(network, on: data, validation: validation, options: runOptions) { progress?(index, $0) }
            runs.append(Run(settings: settings, network: network, initialLoss: initial, result: result))
            if result.interrupted { break }
        }
        return runs
    }

    /// The training loss (softmax cross-entropy or mean squared error, as `Trainer` minimises)
    /// of `network` with inference semantics, averaged over the first `initialLossSample`
    /// examples of `data`.
    public static func initialLoss(_ network: TrainableNetwork, on data: LabeledDataset) throws -> Float {
        let total = min(initialLossSample, data.count)
        var sum: Double = 0
        var values = [Float]()
        for start in stride(from: 0, to: total, by: 100) {
            let indices = Array(start..<min(total, start + 100))
            Trainer.gather(data.inputs, size: data.sampleSize, indices, into: &values)
            let output = try network.predict(try Tensor(shape: [indices.count] + network.inputShape, data: values))
            sum += Double(try Trainer.loss(output, data: data, indices: indices).scalar) * Double(indices.count)
        }
        return total > 0 ? Float(sum / Double(total)) : 0
    }
}
