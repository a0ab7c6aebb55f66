import XCTest
@testable import Engine

/// The importer's mapping on small hand-built models, with outputs computed by hand.
final class ONNXImporterTests: XCTestCase {
    private func model(input: ONNXValueInfo, nodes: [ONNXNode], initializers: [(String, ONNXTensor)], output: String) -> ONNXModel {
        ONNXModel(source: "test.onnx", irVersion: 8, opsetVersion: 17, inputs: [input],
                  outputs: [ONNXValueInfo(name: output, elementType: .float, shape: nil)], initializers: initializers, nodes: nodes)
    }

    func testTransposeValuesAndGradient() throws {
        let x = try Tensor(shape: [1, 2, 3], data: [0, 1, 2, 3, 4, 5])
        let y = try x.transposed([0, 2, 1])
        XCTAssertEqual(y.shape, [1, 3, 2])
        XCTAssertEqual(y.data, [0, 3, 1, 4, 2, 5])
        XCTAssertThrowsError(try x.transposed([0, 0, 1]))
        try GradientCheck.assertMatches([try GradientCheck.random([2, 3, 4, 5], seed: 90)]) { try $0[0].transposed([0, 2, 3, 1]) }
        try GradientCheck.assertMatches([try GradientCheck.random([2, 3, 4], seed: 91)]) { try $0[0].transposed([2, 0, 1]) }
    }

    /// NHWC input -> Transpose (absorbed) -> 1x1 Conv (weights 1, 2, 3, bias 0.5) -> Relu -> Sub 1 -> Mul by 2.
    func testChannelsLastConvReluArithmetic() throws {
        let input = ONNXValueInfo(name: "image", elementType: .float, shape: [.symbolic("n"), .fixed(2), .fixed(2), .fixed(3)])
        let nodes = [
            ONNXNode(name: "to_nchw", opType: "Transpose", inputs: ["image"], outputs: ["t"], attributes: ["perm": .ints([0, 3, 1, 2])]),
            ONNXNode(name: "block/conv", opType: "Conv", inputs: ["t", "w", "b"], outputs: ["c"], attributes: ["kernel_shape": .ints([1, 1])]),
            ONNXNode(name: "block/relu", opType: "Relu", inputs: ["c"], outputs: ["r"]),
            ONNXNode(name: "minus", opType: "Sub", inputs: ["r", "one"], outputs: ["s"]),
            ONNXNode(name: "twice", opType: "Mul", inputs: ["two", "s"], outputs: ["y"]),
        ]
        let initializers = [("w", try ONNXTensor(dims: [1, 3, 1, 1], floats: [1, 2, 3])), ("b", try ONNXTensor(dims: [1], floats: [0.5])),
                            ("one", try ONNXTensor(dims: [], floats: [1])), ("two", try ONNXTensor(dims: [], floats: [2]))]
        let network = try ONNXImporter.network(from: model(input: input, nodes: nodes, initializers: initializers, output: "y"),
                                               options: .init(name: "toy", mean: [0], std: [1]))
        XCTAssertEqual(network.inputSize.height, 2)
        XCTAssertEqual(network.layers.map(\.name), ["block_conv", "minus", "twice"])
        // NCHW pixels: channel planes [a, b, c, d] per channel.
        let x = try Tensor(shape: [1, 3, 2, 2], data: [1, 0, -1, 2,   0, 1, 0, -1,   0, 0, 0, 1])
        // conv = 1·c0 + 2·c1 + 3·c2 + 0.5 = [1.5, 2.5, -0.5, 3.5]; relu -> [1.5, 2.5, 0, 3.5]; (r - 1)·2.
        let y = try network.forward(x, capture: [], until: nil).output
        XCTAssertEqual(y.shape, [1, 1, 2, 2])
        XCTAssertEqual(y.data, [1, 3, -2, 5])
    }

    /// Gemm with transB 0, alpha 2 and beta 0.5 is linear with weight 2·Bᵀ and bias 0.5·C.
    func testGemmAttributes() throws {
        let input = ONNXValueInfo(name: "x", elementType: .float, shape: [.fixed(1), .fixed(3), .fixed(1), .fixed(1)])
        let nodes = [ONNXNode(name: "flat", opType: "Flatten", inputs: ["x"], outputs: ["f"]),
                     ONNXNode(name: "fc", opType: "Gemm", inputs: ["f", "B", "C"], outputs: ["y"],
                              attributes: ["alpha": .float(2), "beta": .float(0.5)])]
        // B [3, 2]: y_j = 2 Σ_i x_i B[i][j] + 0.5 C_j.
        let initializers = [("B", try ONNXTensor(dims: [3, 2], floats: [1, 0, 0, 1, 1, -1])), ("C", try ONNXTensor(dims: [2], floats: [4, 8]))]
        let network = try ONNXImporter.network(from: model(input: input, nodes: nodes, initializers: initializers, output: "y"),
                                               options: .init(name: "gemm", size: 1, mean: [0], std: [1]))
        let y = try network.forward(try Tensor(shape: [1, 3, 1, 1], data: [1, 2, 3]), capture: [], until: nil).output
        // x·B = [1 + 3, 2 - 3] = [4, -1]; 2·that + [2, 4] = [10, 2].
        XCTAssertEqual(y.data, [10, 2])
    }

    /// Input gradients through an imported graph (conv with asymmetric pads and stride 2, LeakyRelu,
    /// transpose, x / constant, a second branch joined by Sub) against central finite differences.
    func testImportedGraphInputGradient() throws {
        let input = ONNXValueInfo(name: "x", elementType: .float, shape: [.fixed(1), .fixed(2), .fixed(5), .fixed(5)])
        let nodes = [
            ONNXNode(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["c"],
                     attributes: ["strides": .ints([2, 2]), "pads": .ints([1, 0, 0, 1])]),
            ONNXNode(name: "leaky", opType: "LeakyRelu", inputs: ["c"], outputs: ["l"], attributes: ["alpha": .float(0.1)]),
            ONNXNode(name: "swap", opType: "Transpose", inputs: ["l"], outputs: ["t"], attributes: ["perm": .ints([0, 1, 3, 2])]),
            ONNXNode(name: "scaled", opType: "Div", inputs: ["t", "d"], outputs: ["q"]),
            ONNXNode(name: "gate", opType: "Sigmoid", inputs: ["c"], outputs: ["g"]),
            ONNXNode(name: "diff", opType: "Sub", inputs: ["q", "g"], outputs: ["y"]),
        ]
        var generator = SeededRandom(seed: 44)
        let weights = (0..<(3 * 2 * 3 * 3)).map { _ in generator.uniform(-1, 1) }
        let initializers = [("w", try ONNXTensor(dims: [3, 2, 3, 3], floats: weights)),
                            ("d", try ONNXTensor(dims: [1, 3, 1, 1], floats: [2, -4, 0.5]))]
        let graph = try ONNXImporter.graph(from: model(input: input, nodes: nodes, initializers: initializers, output: "y"),
                                           inputShape: [1, 2, 5, 5])
        XCTAssertEqual(try graph.shapes(input: [1, 2, 5, 5])["diff"], [1, 3, 2, 2])
        try GradientCheck.assertMatches([try GradientCheck.random([1, 2, 5, 5], seed: 45)]) { try graph.evaluate($0[0]) }
    }

    func testUnmappedOperatorIsNamedWithTheList() throws {
        let input = ONNXValueInfo(name: "x", elementType: .float, shape: [.fixed(1), .fixed(3), .fixed(4), .fixed(4)])
        // Erf (GELU's exports) is outside the supported list; an in-memory model reaches the importer's own check.
        let nodes = [ONNXNode(name: "erf1", opType: "Erf", inputs: ["x"], outputs: ["y"])]
        XCTAssertThrowsError(try ONNXImporter.network(from: model(input: input, nodes: nodes, initializers: [], output: "y"),
                                                      options: .init(name: "erf"))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("Erf") && text.contains("'erf1'") && text.contains("Conv, Relu"), text)
        }
    }
}
