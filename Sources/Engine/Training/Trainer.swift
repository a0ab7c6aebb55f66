import Foundation

/// Minibatch training of a `TrainableNetwork` on a `LabeledDataset`: per epoch a seeded
/// shuffle, then per batch forward, loss (softmax cross-entropy on the logits for class
/// labels, mean squared error for target values), backward and an optimizer step.
///
/// Interrupts: each batch runs with `Cancellation` held off, and `Cancellation.check()` runs
/// between batches, so an interrupt stops after the current batch with the weights of the
/// finished batches and `TrainingResult.interrupted` set (nothing is thrown).
///
/// Reports: after the first step (so a live loss curve starts at the initial loss), then every
/// `reportInterval` seconds, and once at the end.
///
/// Live control: a `TrainingControl` is read before each batch; while it says paused the
/// trainer reports once and waits (interrupts still stop it), and its rate applies from the
/// next step on.
public enum Trainer {
    /// Trains `network` in place. `validation` (same example shape) is measured at each report
    /// and at the end. Throws `EngineError.shapeMismatch` / `.invalid` when the data's example
    /// shape, class count or target shape does not fit the network, and op errors naming the node.
    public static func train(_ network: TrainableNetwork, on data: LabeledDataset, validation: LabeledDataset? = nil,
                             options: TrainingOptions, control: TrainingControl? = nil,
                             progress: ((TrainingSnapshot) -> Void)? = nil) throws -> TrainingResult {
        try check(data, fits: network)
        if let validation { try check(validation, fits: network) }
        let parameters = network.trainableParameters
        let tensors = parameters.map(\.tensor), decays = parameters.map(\.decays)
        var optimizer = Optimizer(settings: options.optimizer, counts: tensors.map(\.count))
        for tensor in tensors { tensor.requiresGrad = true; tensor.grad = nil }
        defer { for tensor in tensors { tensor.requiresGrad = false; tensor.grad = nil } }

        var shuffleRandom = SeededRandom(seed: options.seed)
        var dropoutRandom = SeededRandom(seed: options.seed ^ 0x5DEE_CE66_D1CE_4E5B)
        let batchSize = min(options.batchSize, data.count)
        let batchesPerEpoch = (data.count + batchSize - 1) / batchSize
        let historyInterval = options.historyInterval ?? max(1, options.epochs * batchesPerEpoch / 500)
        let hasBatchNorm = network.graph.nodes.contains { if case .batchNorm = $0.op { return true }; return false }
        let exampleShape = network.inputShape

        var started = DispatchTime.now().uptimeNanoseconds
        var lastReport = started
        var snapshot = TrainingSnapshot(examples: 0, epoch: 1, steps: 0, batchLoss: 0, smoothedLoss: 0, validationAccuracy: nil,
                                        examplesPerSecond: 0, forwardMilliseconds: 0, backwardMilliseconds: 0,
                                        rate: options.optimizer.rate)
        var (forwardNanoseconds, backwardNanoseconds) = (UInt64(0), UInt64(0))
        var (smoothing, smoothingWeight) = (Float(0), Float(0))
        var history: [TrainingHistoryEntry] = []
        var (rowLoss, rowSteps) = (Float(0), 0)
        var interrupted = false
        var order = Array(0..<data.count)
        var batchValues = [Float]()

        func refreshTimings(_ now: UInt64) {
            let seconds = Double(now - started) / 1e9
            let examples = Double(max(snapshot.examples, 1))
            snapshot.examplesPerSecond = seconds > 0 ? Double(snapshot.examples) / seconds : 0
            snapshot.forwardMilliseconds = Double(forwardNanoseconds) / 1e6 / examples
            snapshot.backwardMilliseconds = Double(backwardNanoseconds) / 1e6 / examples
        }

        training: for epoch in 1...options.epochs {
            snapshot.epoch = epoch
            order.shuffle(using: &shuffleRandom)
            for batchIndex in 0..<batchesPerEpoch {
                do { try Cancellation.check() } catch { interrupted = true; break training }
                if let control {
                    if control.isPaused {
                        let pausedAt = DispatchTime.now().uptimeNanoseconds
                        refreshTimings(pausedAt)
                        snapshot.paused = true
                        progress?(snapshot)
                        do { try waitWhilePaused(control) } catch { interrupted = true; break training }
                        snapshot.paused = false
                        let resumed = DispatchTime.now().uptimeNanoseconds
                        started += resumed - pausedAt
                        lastReport = resumed
                    }
                    if let rate = control.rate, rate != optimizer.settings.rate {
                        optimizer.settings.rate = rate
                        snapshot.rate = rate
                    }
                }
                let indices = Array(order[(batchIndex * batchSize)..<min(data.count, (batchIndex + 1) * batchSize)])
                if hasBatchNorm && indices.count == 1 { continue }
                let loss: Float = try Cancellation.withHandler({ false }) {
                    gather(data.inputs, size: data.sampleSize, indices, into: &batchValues)
                    let x = try Tensor(shape: [indices.count] + exampleShape, data: batchValues)
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let output = try network.trainingForward(x, random: &dropoutRandom)
                    let lossTensor = try Trainer.loss(output, data: data, indices: indices)
                    let t1 = DispatchTime.now().uptimeNanoseconds
                    try lossTensor.backward()
                    try optimizer.step(tensors, decays: decays)
                    for tensor in tensors { tensor.grad = nil }
                    let t2 = DispatchTime.now().uptimeNanoseconds
                    forwardNanoseconds += t1 - t0
                    backwardNanoseconds += t2 - t1
                    return lossTensor.scalar
                }
                guard loss.isFinite else {
                    throw EngineError.invalid("train: the loss became \(loss) after \(snapshot.examples) examples; lower the rate")
                }
                snapshot.examples += indices.count
                snapshot.steps += 1
                network.examplesSeen += indices.count
                snapshot.batchLoss = loss
                smoothing = 0.95 * smoothing + 0.05 * loss
                smoothingWeight = 0.95 * smoothingWeight + 0.05
                snapshot.smoothedLoss = smoothing / smoothingWeight
                rowLoss += loss
                rowSteps += 1
                let now = DispatchTime.now().uptimeNanoseconds
                let due = options.reportEveryExamples.map { snapshot.examples / $0 > (snapshot.examples - indices.count) / $0 }
                    ?? (snapshot.steps == 1 || Double(now - lastReport) / 1e9 >= options.reportInterval)
                if due {
                    if let validation {
                        snapshot.validationAccuracy = try accuracy(network, on: validation, limit: options.validationSample)
                    }
                    refreshTimings(now)
                    progress?(snapshot)
                    lastReport = DispatchTime.now().uptimeNanoseconds
                }
                if rowSteps == historyInterval {
                    history.append(TrainingHistoryEntry(examples: snapshot.examples, epoch: epoch, loss: rowLoss / Float(rowSteps),
                                                        smoothedLoss: snapshot.smoothedLoss, validationAccuracy: snapshot.validationAccuracy,
                                                        rate: snapshot.rate))
                    (rowLoss, rowSteps) = (0, 0)
                }
            }
        }
        if rowSteps > 0 {
            history.append(TrainingHistoryEntry(examples: snapshot.examples, epoch: snapshot.epoch, loss: rowLoss / Float(rowSteps),
                                                smoothedLoss: snapshot.smoothedLoss, validationAccuracy: snapshot.validationAccuracy,
                                                rate: snapshot.rate))
        }
        refreshTimings(DispatchTime.now().uptimeNanoseconds)
        var finalAccuracy: Float?
        if let validation, !interrupted {
            finalAccuracy = try accuracy(network, on: validation, limit: validation.count)
            snapshot.validationAccuracy = finalAccuracy
        }
        progress?(snapshot)
        return TrainingResult(history: history, interrupted: interrupted, examples: snapshot.examples, steps: snapshot.steps,
                              validationAccuracy: finalAccuracy, last: snapshot)
    }

    /// Sleeps in short slices while `control` is paused; throws `EngineError.cancelled` on an interrupt.
    private static func waitWhilePaused(_ control: TrainingControl) throws {
        while control.isPaused {
            try Cancellation.check()
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// The batch loss: softmax cross-entropy for class labels, mean squared error for targets.
    static func loss(_ output: Tensor, data: LabeledDataset, indices: [Int]) throws -> Tensor {
        switch data.targets {
        case .classes(let labels, _):
            let logits = output.rank == 2 ? output : try output.flatten()
            return try logits.softmaxCrossEntropy(labels: indices.map { labels[$0] }).loss
        case .values:
            return try output.meanSquaredError(target: try data.targetBatch(indices).data)
        }
    }

    /// Fraction of the first `limit` examples of a classification set whose top logit is the
    /// label, computed with inference semantics; nil for a regression set.
    public static func accuracy(_ network: TrainableNetwork, on data: LabeledDataset, limit: Int) throws -> Float? {
        guard let labels = data.labels else { return nil }
        let total = min(limit, data.count)
        guard total > 0 else { return nil }
        var correct = 0
        var values = [Float]()
        for start in stride(from: 0, to: total, by: 100) {
            let indices = Array(start..<min(total, start + 100))
            gather(data.inputs, size: data.sampleSize, indices, into: &values)
            let logits = try network.predict(try Tensor(shape: [indices.count] + network.inputShape, data: values))
            let classes = logits.count / indices.count
            for (row, index) in indices.enumerated() {
                let scores = logits.data[(row * classes)..<((row + 1) * classes)]
                if let best = scores.indices.max(by: { scores[$0] < scores[$1] }), best - row * classes == labels[index] { correct += 1 }
            }
        }
        return Float(correct) / Float(total)
    }

    /// Copies the rows `indices` of `source` (rows of `size`) into `buffer`, reusing its storage.
    static func gather(_ source: [Float], size: Int, _ indices: [Int], into buffer: inout [Float]) {
        buffer.removeAll(keepingCapacity: true)
        for index in indices { buffer.append(contentsOf: source[(index * size)..<((index + 1) * size)]) }
    }

    /// Throws unless examples of `data` reshape to the network's input and its targets fit the output.
    static func check(_ data: LabeledDataset, fits network: TrainableNetwork) throws {
        let inputSize = network.inputShape.reduce(1, *)
        guard data.sampleSize == inputSize else {
            throw EngineError.shapeMismatch("train: \(data.name) has examples of shape \(data.sampleShape), \(network.name) takes \(network.inputShape)")
        }
        let shapes = try network.graph.shapes(input: [1] + network.inputShape)
        let outputSize = (shapes[network.logitsNode] ?? []).dropFirst().reduce(1, *)
        switch data.targets {
        case .classes(_, let names):
            guard names.count == outputSize else {
                throw EngineError.shapeMismatch("train: \(data.name) has \(names.count) classes, \(network.name) has \(outputSize) outputs")
            }
        case .values(_, let shape):
            guard shape.reduce(1, *) == outputSize else {
                throw EngineError.shapeMismatch("train: \(data.name) has targets of shape \(shape), \(network.name) has \(outputSize) outputs")
            }
        }
    }
}
