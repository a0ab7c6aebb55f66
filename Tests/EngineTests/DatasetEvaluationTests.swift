import XCTest
@testable import Engine

/// A made-up classifier whose logits are its input: a [2] point (x, y) is scored x for class 0 and y
/// for class 1, so every prediction (and the confusion matrix) can be worked out by hand. With an
/// image convention it stands in for a network that needs preprocessing.
final class PointScoringNetwork: Network {
    let name = "point-scorer"
    let convention: InputConvention
    var classNames: [String]
    var forwardCalls = 0
    var batchSizes: [Int] = []

    init(convention: InputConvention? = nil, classNames: [String] = ["left", "right"]) throws {
        self.convention = try convention ?? InputConvention(height: 1, width: 2, channelOrder: .gray)
        self.classNames = classNames
    }

    var inputSize: (height: Int, width: Int) { (convention.height, convention.width) }
    var inputChannels: Int { convention.channels }
    var layers: [LayerInfo] {
        [LayerInfo(name: "scores", kind: "identity", outputShape: [classNames.count], receptiveField: 1, jump: 1, start: 0, parameterCount: 0)]
    }
    var inputConvention: InputConvention { convention }
    func preprocess(_ image: Image) throws -> Tensor { try convention.preprocess(image) }
    func deprocess(_ x: Tensor) throws -> Image { try convention.deprocess(x, network: name) }
    func forward(_ x: Tensor, capture: Set<String>, until: String?) throws -> (output: Tensor, activations: [String: Tensor]) {
        forwardCalls += 1
        batchSizes.append(x.shape[0])
        return (try Tensor(shape: [x.shape[0], x.count / x.shape[0]], data: x.data), [:])
    }
}

final class DatasetEvaluationTests: XCTestCase {
    /// Five points, predictions by hand (argmax of (x, y), the first on a tie):
    /// (1,0) true 0 -> 0; (0,1) true 0 -> 1; (2,1) true 1 -> 0; (0,3) true 1 -> 1; (5,5) true 1 -> 0 (tie).
    func points() throws -> LabeledDataset {
        try LabeledDataset(name: "hand", sampleShape: [2], inputs: [1, 0, 0, 1, 2, 1, 0, 3, 5, 5],
                           targets: .classes(labels: [0, 0, 1, 1, 1], names: ["left", "right"]))
    }

    func testConfusionMatrixAndAccuraciesByHand() throws {
        let network = try PointScoringNetwork()
        var reports: [[Int]] = []
        let result = try Evaluation.run(network, on: try points(), batchSize: 2, progress: { reports.append([$0, $1]) })
        XCTAssertEqual(result.predictions, [0, 1, 0, 1, 0])
        XCTAssertEqual(result.confusion, [1, 1,
                                          2, 1], "rows true, columns predicted")
        XCTAssertEqual(result.correct, 2)
        XCTAssertEqual(result.accuracy, 0.4, accuracy: 1e-12)
        XCTAssertEqual(result.classAccuracy(0)!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(result.classAccuracy(1)!, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(network.batchSizes, [2, 2, 1], "batches of 2, the last one short")
        XCTAssertEqual(reports, [[2, 5], [4, 5], [5, 5]])
    }

    func testAClassWithoutExamplesHasNoAccuracyAndTheCountsStillAddUp() throws {
        let result = try Evaluation(classNames: ["a", "b", "c"], labels: [0, 0, 2, 2, 2], predictions: [0, 2, 2, 1, 2])
        XCTAssertEqual(result.confusion, [1, 0, 1,
                                          0, 0, 0,
                                          0, 1, 2])
        XCTAssertNil(result.classAccuracy(1))
        XCTAssertEqual(result.classAccuracy(2)!, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(result.accuracy, 0.6, accuracy: 1e-12)
        XCTAssertThrowsError(try Evaluation(classNames: ["a"], labels: [0], predictions: [1]))
    }

    func testAClassCountMismatchSaysBothCounts() throws {
        let network = try PointScoringNetwork(classNames: ["a", "b", "c"])
        XCTAssertThrowsError(try Evaluation.run(network, on: try points())) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("3 classes") && text.contains("has 2"), text)
        }
    }

    func testCancellationStopsBetweenBatches() throws {
        let network = try PointScoringNetwork()
        var calls = 0
        XCTAssertThrowsError(try Cancellation.withHandler({ calls += 1; return calls > 1 }) {
            try Evaluation.run(network, on: try points(), batchSize: 2)
        }) { XCTAssertEqual($0 as? EngineError, .cancelled) }
        XCTAssertEqual(network.forwardCalls, 1, "stopped before the second batch")
    }

    func testArgmaxAndProbabilities() {
        XCTAssertEqual(Evaluation.argmax([0, 2, 1, 3, 3, 0, .nan, 1, 0], width: 3), [1, 0, 1])
        // softmax([0, ln 3]) = [1/4, 3/4]
        let p = Evaluation.probabilities([0, Float(log(3.0))][...])
        XCTAssertEqual(p[0], 0.25, accuracy: 1e-6)
        XCTAssertEqual(p[1], 0.75, accuracy: 1e-6)
        XCTAssertEqual(Evaluation.probabilities([0.2, 0.8][...]), [0.2, 0.8], "a softmax output is kept as it is")
    }

    func testRawImagesGoInAsTheyAreAndOthersThroughPreprocessing() throws {
        let pixels: [Float] = [0, 0.25, 0.5, 1, 0.75, 0.5]
        let images = try LabeledDataset(name: "pixels", sampleShape: [1, 1, 2], inputs: pixels,
                                        targets: .classes(labels: [0, 1, 0], names: ["left", "right"]))
        let identity = try PointScoringNetwork()
        XCTAssertTrue(DatasetBatches.feedsRaw(identity, images))
        XCTAssertEqual(try DatasetBatches.input(identity, images, [2, 0]).data, [0.75, 0.5, 0, 0.25])
        // mean 0.5, std 0.25: (v - 0.5) / 0.25 per pixel, through preprocess.
        let normalised = try PointScoringNetwork(convention: InputConvention(height: 1, width: 2, channelOrder: .gray,
                                                                              mean: [0.5], std: [0.25]))
        XCTAssertFalse(DatasetBatches.feedsRaw(normalised, images))
        let batch = try DatasetBatches.input(normalised, images, [0, 1])
        XCTAssertEqual(batch.shape, [2, 1, 1, 2])
        XCTAssertEqual(batch.data, [-2, -1, 0, 2])
        // Class 1 wins where the second pixel is larger: examples 0 (0 < 0.25) and 1 (0.5 < 1); example 2 -> 0.
        let result = try Evaluation.run(normalised, on: images)
        XCTAssertEqual(result.predictions, [1, 1, 0])
        XCTAssertEqual(result.confusion, [1, 1, 0, 1])
    }

    func testConfusionPictureNumbersAreTheCountsAndLargeClassSetsShowOnlyThoseThatOccur() throws {
        let small = try Evaluation(classNames: ["a", "b"], labels: [0, 1, 1], predictions: [0, 0, 1])
        let plot = ConfusionMatrixPlot(evaluation: small, title: "t")
        XCTAssertEqual(plot.shownCounts, [1, 0, 1, 1])
        let canvas = plot.render()
        XCTAssertGreaterThan(canvas.width, 60)
        let names = (0..<100).map { "c\($0)" }
        let large = try Evaluation(classNames: names, labels: [3, 3, 50, 7], predictions: [3, 9, 50, 7])
        let largePlot = ConfusionMatrixPlot(evaluation: large, title: "t")
        XCTAssertEqual(largePlot.shownClasses, [3, 7, 9, 50])
        XCTAssertEqual(largePlot.shownCounts.reduce(0, +), 4)
        XCTAssertEqual(NumberLabel.percent(0.9876), "98.8%")
    }
}
