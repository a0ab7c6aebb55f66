import XCTest
@testable import Engine

final class TrainingTrainerTests: XCTestCase {
    static let mnistSpec = "conv 5x5 8 relu, pool 2, conv 5x5 16 relu, pool 3, fc 10 softmax"

    private func mnist(train: Int, test: Int) throws -> (LabeledDataset, LabeledDataset) {
        let training = try MNISTDataset.load(.train).labeled(name: "mnist train").subset(Array(0..<train))
        let testing = try MNISTDataset.load(.test).labeled(name: "mnist test").subset(Array(0..<test))
        return (training, testing)
    }

    /// ConvNetJS's MNIST network, batch 20, momentum SGD: above 90% on 1,000 test digits after
    /// two epochs on 2,000 training digits. Prints examples/s (never asserted).
    func testConvNetJSMNISTLearns() throws {
        let (training, testing) = try mnist(train: 2000, test: 1000)
        var random = SeededRandom(seed: 42)
        let network = try TrainableNetwork(spec: try ConvNetSpec(Self.mnistSpec), input: [1, 28, 28], random: &random)
        let options = try TrainingOptions(epochs: 2, batchSize: 20, optimizer: try OptimizerSettings(kind: .momentum, rate: 0.01, momentum: 0.9, decay: 1e-3),
                                          seed: 7)
        var reports = 0
        let result = try Trainer.train(network, on: training, validation: testing, options: options) { _ in reports += 1 }
        let accuracy = try XCTUnwrap(result.validationAccuracy)
        print(String(format: "convnetjs mnist: %.1f%% on 1000 test digits, %.0f examples/s, fwd %.3f ms, bwd %.3f ms per example, %d reports",
                     accuracy * 100, result.last.examplesPerSecond, result.last.forwardMilliseconds, result.last.backwardMilliseconds, reports))
        XCTAssertGreaterThan(accuracy, 0.9)
        XCTAssertFalse(result.interrupted)
        XCTAssertEqual(result.examples, 4000)
        XCTAssertEqual(result.steps, 200)
        XCTAssertLessThan(result.history.last?.smoothedLoss ?? 9, result.history.first?.loss ?? 0)
        XCTAssertGreaterThanOrEqual(reports, 1)
        // The inference network built from it agrees with the trainer's accuracy.
        let inference = try network.network()
        let logits = try inference.forward(try testing.batch(Array(0..<200)), capture: [], until: nil).output
        let labels = try XCTUnwrap(testing.labels)
        var correct = 0
        for row in 0..<200 {
            let scores = Array(logits.data[(row * 10)..<(row * 10 + 10)])
            if scores.firstIndex(of: scores.max() ?? 0) == labels[row] { correct += 1 }
        }
        XCTAssertEqual(Float(correct) / 200, try XCTUnwrap(Trainer.accuracy(network, on: testing, limit: 200)), accuracy: 1e-6)
    }

    /// Same seeds: bit-identical weights, with dropout and batch norm in the network, on the
    /// machine's threads (2 here).
    func testRetrainingIsBitIdentical() throws {
        let (training, _) = try mnist(train: 200, test: 1)
        func run() throws -> [[Float]] {
            var random = SeededRandom(seed: 5)
            let network = try TrainableNetwork(spec: try ConvNetSpec("conv 5x5 4, batchnorm, relu, pool 2, dropout 0.3, fc 10 softmax"),
                                               input: [1, 28, 28], random: &random)
            let options = try TrainingOptions(epochs: 2, batchSize: 16, optimizer: try OptimizerSettings(kind: .adam, rate: 1e-3), seed: 9)
            _ = try Trainer.train(network, on: training, options: options)
            return network.graph.nodes.flatMap { node in node.parameters.keys.sorted().compactMap { node.parameters[$0]?.data } }
        }
        let first = try run(), second = try run()
        XCTAssertEqual(first.count, second.count)
        for (a, b) in zip(first, second) { XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern)) }
        // Running statistics moved away from their initial 0 and 1.
        XCTAssertNotEqual(first.flatMap { $0 }.count, 0)
    }

    /// An interrupt stops between batches, keeps the trained weights and says so.
    func testInterruptStopsAfterTheCurrentBatch() throws {
        let (training, _) = try mnist(train: 400, test: 1)
        var random = SeededRandom(seed: 6)
        let network = try TrainableNetwork(spec: try ConvNetSpec("fc 10 softmax"), input: [1, 28, 28], random: &random)
        let before = network.graph.node("fc1")?.parameters["weight"]?.data
        var checks = 0
        let options = try TrainingOptions(epochs: 1, batchSize: 20, optimizer: try OptimizerSettings(kind: .sgd, rate: 0.1))
        // Stop once three batches have begun (the handler is asked between batches only).
        let result = try Cancellation.withHandler({ checks += 1; return checks > 3 }) {
            try Trainer.train(network, on: training, options: options)
        }
        XCTAssertTrue(result.interrupted)
        XCTAssertEqual(result.examples, 60)
        XCTAssertEqual(network.examplesSeen, 60)
        XCTAssertNotEqual(network.graph.node("fc1")?.parameters["weight"]?.data, before)
    }

    /// Regression targets train with mean squared error: an mlp fits y = x₀ − x₁.
    func testRegressionWithMeanSquaredError() throws {
        var random = SeededRandom(seed: 8)
        let points = (0..<400).flatMap { _ in [random.uniform(-1, 1), random.uniform(-1, 1)] }
        let targets = stride(from: 0, to: points.count, by: 2).map { points[$0] - points[$0 + 1] }
        let data = try LabeledDataset(name: "line", sampleShape: [2], inputs: points, targets: .values(data: targets, shape: [1]))
        let network = try TrainableNetwork(spec: try ConvNetSpec.mlp([2, 8, 1], activation: .tanh), input: [1, 1, 2],
                                           random: &random)
        let options = try TrainingOptions(epochs: 30, batchSize: 10, optimizer: try OptimizerSettings(kind: .adam, rate: 0.01))
        let result = try Trainer.train(network, on: data, options: options)
        XCTAssertLessThan(result.history.last?.loss ?? 1, 0.01)
        XCTAssertGreaterThan(result.history.first?.loss ?? 0, 0.05)
        XCTAssertNil(result.validationAccuracy)
    }

    func testMismatchedDataThrows() throws {
        let (training, _) = try mnist(train: 20, test: 1)
        var random = SeededRandom(seed: 0)
        let wrongInput = try TrainableNetwork(spec: try ConvNetSpec("fc 10 softmax"), input: [1, 14, 14], random: &random)
        let options = try TrainingOptions(epochs: 1, batchSize: 5, optimizer: try OptimizerSettings(kind: .sgd, rate: 0.1))
        XCTAssertThrowsError(try Trainer.train(wrongInput, on: training, options: options))
        let wrongClasses = try TrainableNetwork(spec: try ConvNetSpec("fc 3 softmax"), input: [1, 28, 28], random: &random)
        XCTAssertThrowsError(try Trainer.train(wrongClasses, on: training, options: options))
    }

    // MARK: Live control (pause, rate)

    private func smallRun(control: TrainingControl?, rate: Float, progress: ((TrainingSnapshot) -> Void)? = nil) throws
        -> (weights: [UInt32], result: TrainingResult) {
        let (training, _) = try mnist(train: 120, test: 1)
        var random = SeededRandom(seed: 11)
        let network = try TrainableNetwork(spec: try ConvNetSpec("conv 5x5 4 relu, pool 2, fc 10 softmax"), input: [1, 28, 28], random: &random)
        let options = try TrainingOptions(epochs: 2, batchSize: 20, optimizer: try OptimizerSettings(kind: .sgd, rate: rate), seed: 3,
                                          reportInterval: 0)
        let result = try Trainer.train(network, on: training, options: options, control: control, progress: progress)
        let weights = network.graph.nodes.flatMap { node in node.parameters.keys.sorted().flatMap { node.parameters[$0]?.data ?? [] } }
        return (weights.map(\.bitPattern), result)
    }

    /// A rate set on the control applies from the first step: the run equals one started with
    /// that rate, bit for bit, and differs from the run's own rate; the history records it.
    func testAControlRateAppliesFromTheNextStep() throws {
        let control = TrainingControl()
        control.rate = 0.05
        let (steered, result) = try smallRun(control: control, rate: 0.01)
        let (direct, _) = try smallRun(control: nil, rate: 0.05)
        let (own, _) = try smallRun(control: nil, rate: 0.01)
        XCTAssertEqual(steered, direct)
        XCTAssertNotEqual(steered, own)
        XCTAssertEqual(result.history.map(\.rate), Array(repeating: 0.05, count: result.history.count))
        control.rate = -1
        XCTAssertNil(control.rate, "a rate that is not positive is ignored")
    }

    /// Paused from another thread, the trainer reports once and takes no step until resumed; it
    /// then finishes with the same weights as a run never paused.
    func testPauseHoldsTrainingUntilResumedAndChangesNothing() throws {
        final class Record: @unchecked Sendable {
            let lock = NSLock()
            var pausedReports: [Int] = []
            var stepsAtResume = -1
        }
        let control = TrainingControl()
        let record = Record()
        let resumer = Thread {
            // Hold the pause a while, then resume from this other thread.
            Thread.sleep(forTimeInterval: 0.3)
            record.lock.withLock { record.stepsAtResume = record.pausedReports.last ?? -1 }
            control.isPaused = false
        }
        var paused = false
        let (weights, result) = try smallRun(control: control, rate: 0.01) { snapshot in
            if snapshot.paused {
                record.lock.withLock { record.pausedReports.append(snapshot.steps) }
            } else if snapshot.steps == 2, !paused {
                paused = true
                control.isPaused = true
                resumer.start()
            }
        }
        XCTAssertEqual(record.pausedReports, [2], "one report when the pause took hold, after step 2")
        XCTAssertEqual(record.stepsAtResume, 2)
        XCTAssertEqual(result.steps, 12)
        XCTAssertFalse(result.interrupted)
        let (unpaused, _) = try smallRun(control: nil, rate: 0.01)
        XCTAssertEqual(weights, unpaused)
    }

    /// An interrupt while paused ends the run, keeping the weights so far.
    func testAnInterruptWhilePausedStopsTheRun() throws {
        let control = TrainingControl()
        control.isPaused = true
        var interrupt = false
        // The interrupt arrives once the pause has been reported (the trainer is then waiting).
        let (_, result) = try Cancellation.withHandler({ interrupt }) {
            try smallRun(control: control, rate: 0.01) { snapshot in if snapshot.paused { interrupt = true } }
        }
        XCTAssertTrue(result.interrupted)
        XCTAssertEqual(result.steps, 0)
    }
}
