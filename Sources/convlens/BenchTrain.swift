import ArgumentParser
import Engine
import Foundation

/// Training throughput and time to a test accuracy for ConvNetJS's MNIST network, the ConvLens
/// side of bench/train/run.py (its peer is bench/train/torch_mnist.py: the same network, batch,
/// optimizer and evaluation points in PyTorch).
///
/// The run is what `train(net, dataset("mnist", split: "train"), batch: 20, optimizer:
/// "momentum", decay: 0)` does (`Trainer.train` on a `convnet`), with progress reported every
/// `--evaluate-every` examples: each report measures accuracy on the whole 10,000-digit test set
/// and its time is taken out of the training time, as the PyTorch loop does. The run stops at
/// the first report at or above `--target`, or once the training time passes `--seconds`
/// (through `Cancellation`, which `Trainer` checks between batches).
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train",
        abstract: "Train ConvNetJS's MNIST network until a test accuracy or a time limit.")

    @Option(help: "The layer description (convnet()'s syntax).")
    var spec = "conv 5x5 8 relu, pool 2, conv 5x5 16 relu, pool 3, fc 10 softmax"
    @Option(help: "Learning rate.") var rate: Double = 0.01
    @Option(help: "Momentum coefficient.") var momentum: Double = 0.9
    @Option(help: "Examples per step.") var batch = 20
    @Option(help: "Training seconds (evaluation excluded) before giving up.") var seconds: Double = 60
    @Option(help: "Test accuracy to reach, 0...1.") var target: Double = 0.98
    @Option(name: .customLong("evaluate-every"), help: "Examples between evaluations on the full test set.")
    var evaluateEvery = 10_000
    @Option(help: "Seed of the weights and the data order.") var seed: UInt64 = 1

    func run() throws {
        let training = try DatasetCatalog.load("mnist", split: .train)
        let testing = try DatasetCatalog.load("mnist", split: .test)
        var random = SeededRandom(seed: seed)
        let network = try TrainableNetwork(spec: try ConvNetSpec(spec), input: [1, 28, 28], random: &random)
        let settings = try OptimizerSettings(kind: .momentum, rate: Float(rate), momentum: Float(momentum), decay: 0)
        // Epochs enough for any time limit; the time limit or the target stops the run.
        let options = try TrainingOptions(epochs: 1_000, batchSize: batch, optimizer: settings, seed: seed,
                                          reportEveryExamples: evaluateEvery)

        let started = DispatchTime.now().uptimeNanoseconds
        var evaluationNanoseconds: UInt64 = 0
        var curve: [[Any]] = []
        var reachedAt: Double?
        var stop = false
        var failure: Error?
        func trainingSeconds(at now: UInt64) -> Double { Double(now - started - evaluationNanoseconds) / 1e9 }

        var evaluating = false
        // Checked between batches: the target reached, or the training time used up.
        let shouldStop = { stop || (!evaluating && trainingSeconds(at: DispatchTime.now().uptimeNanoseconds) >= seconds) }
        let result = try Cancellation.withHandler(shouldStop) {
            try Trainer.train(network, on: training, options: options) { snapshot in
                // Points at multiples of evaluateEvery, as the PyTorch loop; the report at the end of
                // the run only when there is no point yet.
                guard snapshot.examples % evaluateEvery == 0 || curve.isEmpty,
                      (curve.last?[0] as? Int) != snapshot.examples else { return }
                let now = DispatchTime.now().uptimeNanoseconds
                let elapsed = trainingSeconds(at: now)
                evaluating = true
                defer { evaluating = false; evaluationNanoseconds += DispatchTime.now().uptimeNanoseconds - now }
                do {
                    let accuracy = Double(try Trainer.accuracy(network, on: testing, limit: testing.count) ?? 0)
                    curve.append([snapshot.examples, (elapsed * 100).rounded() / 100, accuracy])
                    if accuracy >= target, reachedAt == nil { reachedAt = elapsed; stop = true }
                } catch {
                    failure = error
                    stop = true
                }
            }
        }
        if let failure { throw failure }
        let total = trainingSeconds(at: DispatchTime.now().uptimeNanoseconds)
        try BenchCommand.printJSON([
            "examples": result.examples, "training_seconds": total,
            "examples_per_second": total > 0 ? Double(result.examples) / total : 0,
            "seconds_to_target": reachedAt.map { $0 as Any } ?? (NSNull() as Any), "curve": curve,
            "final_accuracy": (curve.last?[2] as? Double) ?? 0,
            "forward_ms_per_example": result.last.forwardMilliseconds, "backward_ms_per_example": result.last.backwardMilliseconds,
        ])
    }
}
