import XCTest
@testable import Engine

/// OptimizerComparison (ConvNetJS's optimizer demo), LossCurves, and reports every N examples.
final class OptimizerComparisonTests: XCTestCase {
    private let spec = "fc 8 tanh, fc 8 tanh, fc 2 softmax"

    private func make() throws -> TrainableNetwork {
        var random = SeededRandom(seed: 11)
        return try TrainableNetwork(spec: try ConvNetSpec(spec), input: [1, 1, 2], classNames: ["0", "1"], random: &random)
    }

    private func settings(_ kinds: [OptimizerKind]) throws -> [OptimizerSettings] {
        try kinds.map { try OptimizerSettings(kind: $0, rate: $0 == .adam ? 0.01 : $0 == .adadelta ? 1 : 0.05, decay: 0) }
    }

    /// Every run starts from the same weights and sees the same first batch: the initial loss
    /// and the first step's loss are equal to the bit, and the initial loss equals a softmax
    /// cross-entropy computed here from the logits; after that the rules part ways.
    func testRunsShareTheirStartAndDivergeAfterTheFirstStep() throws {
        let data = try Toy2D.make(.circles, count: 200, noise: 0, seed: 3)
        let kinds: [OptimizerKind] = [.sgd, .momentum, .adagrad, .adadelta, .adam]
        var reported = Set<Int>()
        let runs = try OptimizerComparison.run(make: make, data: data, optimizers: try settings(kinds),
                                               options: try options(epochs: 3, batch: 10, historyInterval: 1)) { index, _ in
            reported.insert(index)
        }
        XCTAssertEqual(runs.map(\.settings.kind), kinds)
        XCTAssertEqual(reported, Set(0..<5))
        let weights = runs.map { $0.network.trainableParameters.map(\.tensor.data) }
        XCTAssertNotEqual(weights[0], weights[4], "each run trains its own copy")

        // The initial loss by hand: mean over the first 200 points of log Σ exp(z) − z_label.
        let fresh = try make()
        let logits = try fresh.predict(try Tensor(shape: [200, 1, 1, 2], data: data.inputs))
        let labels = try XCTUnwrap(data.labels)
        var expected = 0.0
        for row in 0..<200 {
            let z = logits.data[(row * 2)..<(row * 2 + 2)].map(Double.init)
            let peak = z.max() ?? 0
            expected += log(z.map { exp($0 - peak) }.reduce(0, +)) + peak - z[labels[row]]
        }
        expected /= 200
        for run in runs {
            XCTAssertEqual(run.initialLoss, runs[0].initialLoss)
            XCTAssertEqual(run.curve.first?.0, 0)
            XCTAssertEqual(run.curve.first?.1, run.initialLoss)
            // History row 1 is the first batch's loss, before any step: equal in every run.
            XCTAssertEqual(run.result.history[0].loss, runs[0].result.history[0].loss)
            XCTAssertEqual(run.result.history[0].examples, 10)
            XCTAssertEqual(run.result.examples, 600)
        }
        XCTAssertEqual(Double(runs[0].initialLoss), expected, accuracy: 1e-5)
        // Momentum's first step is SGD's (v = −rate · g from v = 0): the same second-batch loss;
        // the other rules differ from it and from each other.
        let second = runs.map(\.result.history[1].loss)
        XCTAssertEqual(second[1], second[0])
        XCTAssertEqual(Set([second[0], second[2], second[3], second[4]]).count, 4, "\(second)")
        XCTAssertNotEqual(runs[1].result.history[2].loss, runs[0].result.history[2].loss, "momentum parts from SGD at step 2")
        // Adam at rate 0.01 on this small problem ends below where it started.
        XCTAssertLessThan(runs[4].finalLoss, runs[4].initialLoss)
    }

    private func options(epochs: Int, batch: Int, historyInterval: Int? = nil, reportEvery: Int? = nil) throws -> TrainingOptions {
        try TrainingOptions(epochs: epochs, batchSize: batch, optimizer: try OptimizerSettings(kind: .sgd, rate: 0.1), seed: 5,
                            historyInterval: historyInterval, reportEveryExamples: reportEvery)
    }

    /// An interrupt during the second run (after its 40th example) returns the first run whole
    /// and the second stopped at that batch, and trains no third.
    func testInterruptEndsTheComparison() throws {
        let data = try Toy2D.make(.xor, count: 100, noise: 0, seed: 1)
        var stop = false
        let runs = try Cancellation.withHandler({ stop }) {
            try OptimizerComparison.run(make: make, data: data, optimizers: try settings([.sgd, .adam, .adagrad]),
                                        options: try options(epochs: 1, batch: 10, reportEvery: 20)) { index, snapshot in
                if index == 1 && snapshot.examples == 40 { stop = true }
            }
        }
        XCTAssertEqual(runs.count, 2)
        XCTAssertFalse(runs[0].result.interrupted)
        XCTAssertEqual(runs[0].result.examples, 100)
        XCTAssertTrue(runs[1].result.interrupted)
        XCTAssertEqual(runs[1].result.examples, 40)
    }

    func testEmptyListAndWrongDataAreErrors() throws {
        let data = try Toy2D.make(.xor, count: 20, noise: 0, seed: 1)
        XCTAssertThrowsError(try OptimizerComparison.run(make: make, data: data, optimizers: [],
                                                         options: try options(epochs: 1, batch: 10)))
        let three = try LabeledDataset(name: "three", sampleShape: [3], inputs: [Float](repeating: 0, count: 6),
                                       targets: .classes(labels: [0, 1], names: ["a", "b"]))
        XCTAssertThrowsError(try OptimizerComparison.run(make: make, data: three, optimizers: try settings([.sgd]),
                                                         options: try options(epochs: 1, batch: 1))) { error in
            XCTAssertTrue("\(error)".contains("three"), "\(error)")
        }
    }

    /// Reports every 40 examples with batch 20 on 100 examples: at 40 and 80, then the final one.
    func testReportsEveryNExamples() throws {
        let data = try Toy2D.make(.moons, count: 100, noise: 0.1, seed: 4)
        let options = try TrainingOptions(epochs: 1, batchSize: 20, optimizer: try OptimizerSettings(kind: .sgd, rate: 0.1),
                                          reportEveryExamples: 40)
        var seen: [Int] = []
        _ = try Trainer.train(try make(), on: data, options: options) { seen.append($0.examples) }
        XCTAssertEqual(seen, [40, 80, 100])
        XCTAssertThrowsError(try TrainingOptions(epochs: 1, batchSize: 1, optimizer: try OptimizerSettings(kind: .sgd, rate: 0.1),
                                                 reportEveryExamples: 0))
    }

    /// The plot maps (0, 0) and (max examples, max loss) to the box's corners and draws each
    /// curve in its palette colour: the pixel at a point only curve 1 passes is curve 1's colour.
    func testLossCurvesPixelsAndColours() {
        let curves = LossCurves(title: "t", series: [
            .init(name: "sgd", points: [(0, 2), (100, 2), (200, 2)]),
            .init(name: "adam", points: [(0, 1), (100, 1), (200, 0.5)]),
        ])
        XCTAssertEqual(curves.ranges.examples, 200)
        XCTAssertEqual(curves.ranges.loss, 2)
        XCTAssertEqual(curves.pixel(examples: 0, loss: 0).x, LossCurves.left)
        XCTAssertEqual(curves.pixel(examples: 0, loss: 0).y, LossCurves.top + curves.plotHeight - 1)
        XCTAssertEqual(curves.pixel(examples: 200, loss: 2).x, LossCurves.left + curves.plotWidth - 1)
        XCTAssertEqual(curves.pixel(examples: 200, loss: 2).y, LossCurves.top)
        let canvas = curves.render()
        let onFirst = curves.pixel(examples: 50, loss: 2), onSecond = curves.pixel(examples: 50, loss: 1)
        XCTAssertEqual(canvas.color(x: onFirst.x, y: onFirst.y), LossCurves.color(0))
        XCTAssertEqual(canvas.color(x: onSecond.x, y: onSecond.y), LossCurves.color(1))
        XCTAssertEqual(LossCurves.color(0), CategoricalPalette.color(0))
        XCTAssertNotEqual(LossCurves.color(0), LossCurves.color(1))
        // Halfway between the curves there is no curve ink (at most the light grey grid, 0.92).
        let between = curves.pixel(examples: 50, loss: 1.5)
        XCTAssertGreaterThanOrEqual(canvas.color(x: between.x, y: between.y)?.red ?? 0, 0.92 - 1e-6)
    }
}
