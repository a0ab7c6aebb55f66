import XCTest
@testable import Engine

final class TrainingSpecTests: XCTestCase {
    let mnistSpec = "conv 5x5 8 relu, pool 2, conv 5x5 16 relu, pool 3, fc 10 softmax"

    func testConvNetJSMNISTShapesAndNames() throws {
        var random = SeededRandom(seed: 1)
        let network = try TrainableNetwork(spec: try ConvNetSpec(mnistSpec), input: [1, 28, 28], random: &random)
        let shapes = try network.graph.shapes(input: [1, 1, 28, 28])
        // Same padding keeps 28, pool 2 -> 14, conv keeps 14, pool 3 stride 3 -> floor(11/3) + 1 = 4.
        XCTAssertEqual(shapes["conv1.relu"], [1, 8, 28, 28])
        XCTAssertEqual(shapes["pool1"], [1, 8, 14, 14])
        XCTAssertEqual(shapes["conv2.relu"], [1, 16, 14, 14])
        XCTAssertEqual(shapes["pool2"], [1, 16, 4, 4])
        XCTAssertEqual(shapes["fc1"], [1, 10])
        XCTAssertEqual(network.classNames, (0...9).map(String.init))
        let inference = try network.network()
        XCTAssertEqual(inference.layers.map(\.name), ["conv1", "pool1", "conv2", "pool2", "fc1"])
        // 8·25+8 + 16·8·25+16 + 10·256+10 parameters.
        XCTAssertEqual(inference.layers.reduce(0) { $0 + $1.parameterCount }, 208 + 3216 + 2570)
    }

    func testInitialisationScales() throws {
        var random = SeededRandom(seed: 2)
        let graph = try ConvNetSpec("conv 5x5 64 relu, fc 50 tanh").graph(input: [4, 8, 8], random: &random)
        let conv = try XCTUnwrap(graph.node("conv1")?.parameters["weight"]).data
        let std = (conv.map { $0 * $0 }.reduce(0, +) / Float(conv.count)).squareRoot()
        XCTAssertEqual(std, (2 / Float(100)).squareRoot(), accuracy: 0.01)   // He: fan_in 4·25
        let fc = try XCTUnwrap(graph.node("fc1")?.parameters["weight"]).data
        let limit = (6 / Float(64 * 64 + 50)).squareRoot()                  // Glorot: fan_in 64·8·8
        XCTAssertLessThanOrEqual(fc.map(abs).max() ?? 0, limit)
        XCTAssertGreaterThan(fc.map(abs).max() ?? 0, 0.95 * limit)
    }

    func testOptionsAndOtherLayers() throws {
        var random = SeededRandom(seed: 3)
        let spec = try ConvNetSpec("conv 3x3 4 stride 2 pad 0, batchnorm, relu, dropout 0.5, fc 3 sigmoid")
        let graph = try spec.graph(input: [3, 9, 9], random: &random)
        let shapes = try graph.shapes(input: [1, 3, 9, 9])
        XCTAssertEqual(shapes["conv1"], [1, 4, 4, 4])
        XCTAssertEqual(graph.nodes.map(\.name), ["conv1", "bn1", "relu1", "dropout1", "fc1.flatten", "fc1", "fc1.sigmoid"])
        let mlp = try ConvNetSpec.mlp([2, 8, 8, 2], activation: .tanh)
        XCTAssertEqual(mlp.layers.count, 3)
        let mlpGraph = try mlp.graph(input: [1, 1, 2], random: &random)
        XCTAssertEqual(try mlpGraph.shapes(input: [5, 1, 1, 2])["fc3"], [5, 2])
    }

    /// Each error's range covers the offending characters of the spec.
    func testErrorsPointAtTheBadPart() throws {
        func range(_ spec: String) -> (String, String) {
            do {
                _ = try ConvNetSpec(spec)
                return ("", "no error")
            } catch let error as ConvNetSpecError {
                let characters = Array(spec)
                return (String(characters[error.range]), error.message)
            } catch { return ("", "\(error)") }
        }
        XCTAssertEqual(range("conv 5x5 8 relu, pol 2").0, "pol")
        XCTAssertEqual(range("conv 5x4 8").0, "5x4")
        XCTAssertEqual(range("conv 5x5 eight relu").0, "eight")
        XCTAssertEqual(range("conv 5x5 8 relu, pool 2, fc 10 softmax, ").0, " ")
        XCTAssertEqual(range("conv 5x5 8 softmax").0, "softmax")
        XCTAssertEqual(range("fc 10, dropout 1.5").0, "1.5")
        XCTAssertEqual(range("conv 5x5 8, pool 2 3").0, "3")
        XCTAssertEqual(range("conv 5x5").0, "conv 5x5")
        XCTAssertTrue(range("conv 5x5").1.contains("filter count"))
        // Shape errors point at the layer.
        var random = SeededRandom(seed: 0)
        let spec = try ConvNetSpec("conv 3x3 2, pool 8, fc 2")
        XCTAssertThrowsError(try spec.graph(input: [1, 6, 6], random: &random)) { error in
            let bad = (error as? ConvNetSpecError)?.range ?? 0..<0
            XCTAssertEqual(String(Array("conv 3x3 2, pool 8, fc 2")[bad]), "pool 8")
        }
        let softmaxFirst = try ConvNetSpec("fc 4 softmax, fc 2")
        XCTAssertThrowsError(try softmaxFirst.graph(input: [1, 1, 3], random: &random))
    }
}
