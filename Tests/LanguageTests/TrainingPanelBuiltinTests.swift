import Foundation
import XCTest
import Engine
@testable import Language

/// train's dashboard on toy sets: the decision regions for an mlp on toy2d, the fit for toy1d.
final class TrainingPanelBuiltinTests: XCTestCase {
    func testMLPOnToy2DShowsTheDecisionRegionsPanel() throws {
        let session = Session()
        let cell = run("seed(1)\nd = toy2d(kind: \"circles\", count: 200, seed: 3)\nnet = mlp([2, 6, 2])\n"
                       + "h = train(net, d, epochs: 5, batch: 10)", in: session)
        XCTAssertNil(cell.error)
        let sizes = pictureSizes(cell)
        XCTAssertFalse(sizes.isEmpty, "the dashboard was drawn")
        // The curves (225 pixels) and the 296-pixel regions panel (title, 260-pixel square, margins) under
        // them, plus the progress caption; the digit strip's dashboard is 225 + 100.
        let height = try XCTUnwrap(sizes.last?.1)
        XCTAssertTrue((521...570).contains(height), "\(height)")
    }

    func testRegressionMLPOnToy1DShowsTheFit() throws {
        let session = Session()
        XCTAssertEqual(result("d = toy1d(kind: \"sine\", count: 40, seed: 2)\nd", in: session),
                       "dataset toy1d sine: 40 examples of 1 -> 1")
        let cell = run("net = mlp([1, 8, 1], regression: true)\nh = train(net, d, epochs: 3, batch: 10)", in: session)
        XCTAssertNil(cell.error)
        let height = try XCTUnwrap(pictureSizes(cell).last?.1)
        XCTAssertTrue((521...570).contains(height), "\(height)")
        XCTAssertNotNil(failure("toy1d(kind: \"sawtooth\")", in: session))
        XCTAssertNotNil(failure("toy1d(noise: 3)", in: session))
    }
}

/// The final dashboard of a run shorter than the report interval draws its loss curve from the
/// history instead of the one point the live reports left.
final class TrainingLiveFinishTests: XCTestCase {
    func testAShortRunDrawsTheLossCurveFromItsHistory() throws {
        var random = SeededRandom(seed: 4)
        let spec = try ConvNetSpec.mlp([2, 6, 2], activation: .tanh)
        let network = try TrainableNetwork(name: "mlp", graph: try spec.graph(input: [1, 1, 2], random: &random),
                                           inputShape: [1, 1, 2], classNames: ["0", "1"])
        let data = try Toy2D.make(.circles, count: 120, noise: 0.05, seed: 2)
        // An hour between reports: only the first step's and the closing report reach the dashboard.
        let options = try TrainingOptions(epochs: 4, batchSize: 10, optimizer: try OptimizerSettings(kind: .sgd, rate: 0.1),
                                          seed: 1, reportInterval: 3600, historyInterval: 2)
        var live = TrainingLive(network: network, data: data, validation: nil)
        let result = try Trainer.train(network, on: data, options: options) { snapshot in _ = try? live.picture(snapshot) }
        XCTAssertEqual(live.loss.count, 2)
        // 4 epochs x 12 batches, a history row every 2 steps.
        XCTAssertEqual(result.history.count, 24)
        XCTAssertNotNil(try live.finished(result))
        XCTAssertEqual(live.loss.map(\.0), result.history.map(\.examples))
        XCTAssertEqual(live.loss.map(\.1), result.history.map(\.smoothedLoss))
        XCTAssertNil(try live.finished(result), "a curve as fine as the history is kept")
    }
}
