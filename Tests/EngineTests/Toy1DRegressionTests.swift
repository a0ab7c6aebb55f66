import XCTest
@testable import Engine

/// toy1d's points, and the live fit picture of a regression mlp.
final class Toy1DRegressionTests: XCTestCase {
    func testPointsFollowTheFunctionAndTheSeed() throws {
        let clean = try Toy1D.make(.xsinx, count: 50, noise: 0, seed: 3)
        XCTAssertEqual(clean.sampleShape, [1])
        guard case .values(let ys, let shape) = clean.targets else { return XCTFail("not a regression set") }
        XCTAssertEqual(shape, [1])
        for (x, y) in zip(clean.inputs, ys) {
            XCTAssertTrue((-1...1).contains(x))
            XCTAssertEqual(y, x * sin(5 * x), accuracy: 1e-6)
        }
        XCTAssertEqual(Toy1D.value(.sine, at: 0.5), 1, accuracy: 1e-6)
        XCTAssertEqual(Toy1D.value(.cubic, at: 1), 1)
        XCTAssertEqual(Toy1D.value(.step, at: -0.1), -0.5)
        let again = try Toy1D.make(.xsinx, count: 50, noise: 0, seed: 3)
        XCTAssertEqual(again.inputs, clean.inputs)
        // Noise of deviation 0.1 on 4,000 points: the residuals' deviation is 0.1 within 10%.
        let noisy = try Toy1D.make(.sine, count: 4000, noise: 0.1, seed: 9)
        guard case .values(let noisyYs, _) = noisy.targets else { return XCTFail("not a regression set") }
        let residuals = zip(noisy.inputs, noisyYs).map { Double($1 - Toy1D.value(.sine, at: $0)) }
        let mean = residuals.reduce(0, +) / 4000
        let deviation = (residuals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3999).squareRoot()
        XCTAssertEqual(deviation, 0.1, accuracy: 0.01)
        XCTAssertEqual(mean, 0, accuracy: 0.01)
        XCTAssertThrowsError(try Toy1D.make(.sine, count: 1, noise: 0, seed: 0))
        XCTAssertThrowsError(try Toy1D.make(.sine, count: 10, noise: 2, seed: 0))
    }

    /// A regression mlp trained on sine lowers its mean squared error well below the variance
    /// of y, and the fit picture's curve passes through (x, prediction(x)).
    func testRegressionMLPFitsAndTheCurveIsItsPrediction() throws {
        let data = try Toy1D.make(.sine, count: 100, noise: 0, seed: 2)
        var random = SeededRandom(seed: 5)
        let graph = try ConvNetSpec.mlp([1, 16, 16, 1], activation: .tanh).graph(input: [1, 1, 1], random: &random)
        let network = try TrainableNetwork(name: "mlp", graph: graph, inputShape: [1, 1, 1], classNames: [])
        let options = try TrainingOptions(epochs: 300, batchSize: 10, optimizer: try OptimizerSettings(kind: .adam, rate: 0.01), seed: 1)
        let result = try Trainer.train(network, on: data, options: options)
        guard case .values(let ys, _) = data.targets else { return XCTFail("not a regression set") }
        let predictions = try network.predict(try Tensor(shape: [100, 1, 1, 1], data: data.inputs)).data
        let mse = zip(predictions, ys).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 100
        let meanY = ys.reduce(0, +) / 100
        let variance = ys.map { ($0 - meanY) * ($0 - meanY) }.reduce(0, +) / 100
        XCTAssertLessThan(mse, 0.05 * variance, "mse \(mse), variance \(variance), last loss \(result.last.smoothedLoss)")

        let grid: [Float] = [-1, -0.5, 0, 0.5, 1]
        let curve = try network.predict(try Tensor(shape: [5, 1, 1, 1], data: grid)).data
        let plot = RegressionFitPlot(xs: [], ys: [], curve: Array(zip(grid, curve)))
        let canvas = plot.render()
        for (x, y) in zip(grid, curve) {
            let p = plot.pixel(x: x, y: y)
            XCTAssertEqual(canvas.color(x: p.x, y: p.y), RegressionFitPlot.curveColor, "at x = \(x)")
        }
        XCTAssertEqual(plot.pixel(x: plot.ranges.x.lowerBound, y: plot.ranges.y.upperBound).x, RegressionFitPlot.margin)
    }
}
