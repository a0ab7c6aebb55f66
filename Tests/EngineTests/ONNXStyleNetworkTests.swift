import Foundation
import XCTest
@testable import Engine

/// Dumoulin et al.'s multistyle26.onnx imported with its style weights bound to constants: the
/// conditional instance norm's gamma and beta fold into parameters, and the network runs at a
/// non-square size. (Values against onnxruntime: Tests/protocol/test_onnx_style.py.)
final class ONNXStyleNetworkTests: XCTestCase {
    private func asset(_ name: String) throws -> String {
        guard let path = try? AssetDirectory.file(name) else { throw XCTSkip("asset \(name) is not fetched; run `make setup`") }
        return path
    }

    func testMultistyle26ImportsWithBoundStyleWeights() throws {
        let model = try ONNXModel.read(try asset("weights/multistyle26.onnx"))
        var weights = [Float](repeating: 0, count: 26)
        weights[3] = 1
        let options = ONNXImporter.Options(name: "multistyle26", mean: [0, 0, 0], std: [1, 1, 1],
                                           constantInputs: ["style_weights": try ONNXTensor(dims: [26], floats: weights)],
                                           height: 36, width: 52)
        let network = try ONNXImporter.network(from: model, options: options)
        XCTAssertEqual(network.inputSize.height, 36)
        XCTAssertEqual(network.inputSize.width, 52)
        // No ReduceSum of the style branch is left: only the spatial ReduceMeans of the norms.
        for node in network.graph.nodes {
            if case .reduce(let a) = node.op { XCTAssertEqual(a.axes, [2, 3], node.name); XCTAssertEqual(a.operation, .mean) }
        }
        // The first norm's gamma is row 3 of the file's table, now a constant parameter.
        let table = try XCTUnwrap(model.initializers["contract.0.norm.gamma"]).floats
        let gammaNode = try XCTUnwrap(network.graph.nodes.first { $0.name.hasPrefix("contract_0_norm_Mul_3") })
        XCTAssertEqual(gammaNode.parameters["constant"]?.data, Array(table[(3 * 32)..<(4 * 32)]))
        let image = try Tensor(shape: [1, 3, 36, 52], data: (0..<(3 * 36 * 52)).map { Float($0 % 97) / 97 })
        let output = try network.graph.evaluate(image)
        XCTAssertEqual(output.shape, [1, 3, 36, 52])
        XCTAssertTrue(output.data.allSatisfy { $0 > 0 && $0 < 1 })

        // Without the style weights: the second input is what is named, not the unfolded style branch.
        XCTAssertThrowsError(try ONNXImporter.network(from: model, options: ONNXImporter.Options(name: "m"))) { error in
            XCTAssertTrue("\(error)".contains("reads 2 inputs") && "\(error)".contains("constantInputs"), "\(error)")
        }
        var wrong = options
        wrong.constantInputs = ["style": try ONNXTensor(dims: [26], floats: weights)]
        XCTAssertThrowsError(try ONNXImporter.network(from: model, options: wrong)) { error in
            XCTAssertTrue("\(error)".contains("no input named 'style'"), "\(error)")
        }
        wrong.constantInputs = ["style_weights": try ONNXTensor(dims: [25], floats: Array(weights.prefix(25)))]
        XCTAssertThrowsError(try ONNXImporter.network(from: model, options: wrong)) { error in
            XCTAssertTrue("\(error)".contains("cannot hold a constant of shape [25]"), "\(error)")
        }
    }

    /// Opset-9 Upsample (the fixture file waits for the opset range of branch onnx-classic):
    /// onnxruntime's rule is asymmetric coordinates, floor when enlarging. 2 -> 5 along width
    /// (scale 2.5): sources 0, 0.4, 0.8, 1.2, 1.6 -> 0, 0, 0, 1, 1; linear: 0, 0.4, 0.8, 1, 1 of [0, 1].
    func testUpsampleOpset9NearestAndLinear() throws {
        for (mode, expected) in [("nearest", [Float](arrayLiteral: 0, 0, 0, 1, 1)), ("linear", [0, 0.4, 0.8, 1, 1])] {
            let model = ONNXModel(source: "upsample.onnx", irVersion: 4, opsetVersion: 9,
                                  inputs: [ONNXValueInfo(name: "x", elementType: .float, shape: [.fixed(1), .fixed(1), .fixed(1), .fixed(2)])],
                                  outputs: [ONNXValueInfo(name: "y", elementType: .float, shape: nil)],
                                  initializers: [("scales", try ONNXTensor(dims: [4], floats: [1, 1, 1, 2.5]))],
                                  nodes: [ONNXNode(name: "up", opType: "Upsample", inputs: ["x", "scales"], outputs: ["y"],
                                                   attributes: ["mode": .string(mode)])])
            let graph = try ONNXImporter.graph(from: model, inputShape: [1, 1, 1, 2])
            let y = try graph.evaluate(try Tensor(shape: [1, 1, 1, 2], data: [0, 1]))
            XCTAssertEqual(y.shape, [1, 1, 1, 5])
            for (value, wanted) in zip(y.data, expected) { XCTAssertEqual(value, wanted, accuracy: 1e-6, mode) }
        }
    }
}
