import XCTest
@testable import Engine

/// ConvNetJS's MNIST autoencoder: a set whose targets are its inputs trains with squared error,
/// the codes have the bottleneck's width, and the panel draws the examples and the codes.
final class AutoencoderTests: XCTestCase {
    private func digits(_ count: Int) throws -> LabeledDataset {
        try MNISTDataset.load(.train).labeled(name: "mnist").subset(Array(0..<count))
    }

    /// Mean over examples and pixels of (x − mean image)²: the error of the best reconstruction
    /// that ignores its input, which any working autoencoder must beat.
    private func meanImageError(_ data: LabeledDataset) -> Double {
        let size = data.sampleSize
        var mean = [Double](repeating: 0, count: size)
        for i in 0..<data.count { for p in 0..<size { mean[p] += Double(data.inputs[i * size + p]) / Double(data.count) } }
        var total = 0.0
        for i in 0..<data.count { for p in 0..<size { let d = Double(data.inputs[i * size + p]) - mean[p]; total += d * d } }
        return total / Double(data.count * size)
    }

    private func reconstructionError(_ network: TrainableNetwork, _ data: LabeledDataset) throws -> Double {
        let output = try network.predict(try data.batch(Array(0..<data.count)))
        var total = 0.0
        for (a, b) in zip(output.data, data.inputs) { total += Double(a - b) * Double(a - b) }
        return total / Double(data.inputs.count)
    }

    func testTheDemoLayersAndTheCodeNode() throws {
        var random = SeededRandom(seed: 1)
        let network = try Autoencoder.make(code: 2, input: [1, 28, 28], random: &random)
        let shapes = try network.graph.shapes(input: [1, 1, 28, 28])
        let widths = network.graph.nodes.filter { if case .linear = $0.op { return true }; return false }
            .map { shapes[$0.name]?.last ?? 0 }
        XCTAssertEqual(widths, [50, 50, 2, 50, 50, 784])
        XCTAssertEqual(Autoencoder.codeNode(of: network), "fc3")
        XCTAssertTrue(Autoencoder.reconstructs(network))
        XCTAssertTrue(network.classNames.isEmpty)
        XCTAssertThrowsError(try Autoencoder.spec(code: 0, inputSize: 784))
    }

    func testSelfTargetsAreTheInputs() throws {
        let data = try digits(20)
        let targets = try Autoencoder.selfTargets(data)
        XCTAssertEqual(try targets.targetBatch([3, 7]).data, try data.batch([3, 7]).data)
        XCTAssertNil(targets.labels)
    }

    /// 1,000 digits, 8 epochs of Adam: the loss falls and the reconstruction error ends below
    /// 88% of the mean image's (0.066 here; this run reaches 0.054, and a 2-number code does not
    /// get much below 0.04 even on all of MNIST).
    func testTrainingReconstructsBetterThanTheMeanImage() throws {
        let data = try digits(1000)
        var random = SeededRandom(seed: 3)
        let network = try Autoencoder.make(code: 2, input: [1, 28, 28], random: &random)
        let baseline = meanImageError(data)
        let before = try reconstructionError(network, data)
        let options = try TrainingOptions(epochs: 8, batchSize: 50, optimizer: try OptimizerSettings(kind: .adam, rate: 0.003),
                                          seed: 5, historyInterval: 10)
        let result = try Trainer.train(network, on: try Autoencoder.selfTargets(data), options: options)
        let after = try reconstructionError(network, data)
        print(String(format: "autoencoder: mean-image error %.4f, before %.4f, after %.4f; loss %.4f -> %.4f",
                     baseline, before, after, result.history.first?.loss ?? .nan, result.history.last?.loss ?? .nan))
        XCTAssertEqual(baseline, 0.067, accuracy: 0.01)
        XCTAssertLessThan(try XCTUnwrap(result.history.last?.loss), 0.7 * (try XCTUnwrap(result.history.first?.loss)))
        XCTAssertLessThan(after, 0.88 * baseline)

        let codes = try Autoencoder.activations(network, data: data, layer: "fc3", limit: 250)
        XCTAssertEqual(codes.shape, [250, 2])
        // The code is fc3's output: the same as running the graph by hand to it.
        let direct = try Autoencoder.run(network, try data.batch([4]), to: "fc3").data
        XCTAssertEqual(codes.data[8], direct[0], accuracy: 1e-5)
        XCTAssertEqual(codes.data[9], direct[1], accuracy: 1e-5)
        XCTAssertThrowsError(try Autoencoder.activations(network, data: data, layer: "code9"))
    }

    /// The panel: 8 originals over 8 reconstructions in 40-pixel tiles beside the scatter.
    func testThePanelDrawsTilesAndScatter() throws {
        let white = [Float](repeating: 1, count: 16), black = [Float](repeating: 0, count: 16)
        let codes: [Float] = [0, 0, 1, 1, 0.5, -1]
        let panel = ReconstructionPanel(channels: 1, height: 4, width: 4, originals: Array(repeating: white, count: 8),
                                        reconstructions: Array(repeating: black, count: 8), codes: codes, labels: [0, 1, 2],
                                        classNames: ["0", "1", "2"], codeTitle: "codes")
        let canvas = panel.render()
        var scatter = ScatterPlot(title: "codes", points: codes, labels: [0, 1, 2], classNames: ["0", "1", "2"])
        (scatter.plotWidth, scatter.plotHeight) = (250, 250)
        let plot = try XCTUnwrap(scatter.render())
        XCTAssertEqual(canvas.width, 8 * 44 + 8 + plot.width)
        XCTAssertEqual(canvas.height, max(140, plot.height))
        // Tile 3's centre: white on the originals row (y 18...57), black on the reconstructions row (y 84...123).
        XCTAssertEqual(canvas.color(x: 3 * 44 + 20, y: 38), RGBColor(red: 1, green: 1, blue: 1))
        XCTAssertEqual(canvas.color(x: 3 * 44 + 20, y: 104), RGBColor(red: 0, green: 0, blue: 0))
    }
}
