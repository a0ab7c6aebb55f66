import XCTest
@testable import Engine

/// The ops of feed-forward style networks: hand-computed values and gradients against central
/// finite differences (`GradientCheck`).
final class OpStyleNetworkTests: XCTestCase {
    func testInstanceNormValuesAndGradients() throws {
        // One plane [1, 2, 3, 4]: mean 2.5, biased variance 1.25, so (x - 2.5) / sqrt(1.25 + eps).
        let x = try Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])
        let y = try x.instanceNorm(scale: try Tensor(shape: [1], data: [2]), bias: try Tensor(shape: [1], data: [0.5]), epsilon: 0)
        let s = Float(1.25).squareRoot()
        for (value, expected) in zip(y.data, [-1.5, -0.5, 0.5, 1.5].map { 2 * Float($0) / s + 0.5 }) {
            XCTAssertEqual(value, expected, accuracy: 1e-5)
        }
        XCTAssertThrowsError(try x.instanceNorm(scale: try Tensor(shape: [2], data: [1, 1]), bias: nil, epsilon: 1e-5))
        try GradientCheck.assertMatches([try GradientCheck.random([2, 3, 3, 4], seed: 1), try GradientCheck.random([3], seed: 2),
                                         try GradientCheck.random([3], seed: 3)], epsilon: 1e-2) { t in
            try t[0].instanceNorm(scale: t[1], bias: t[2], epsilon: 1e-5)
        }
    }

    func testPaddingModesValues() throws {
        let x = try Tensor(shape: [1, 3], data: [1, 2, 3])
        XCTAssertEqual(try x.padded([(0, 0), (2, 1)], mode: .reflect).data, [3, 2, 1, 2, 3, 2])
        XCTAssertEqual(try x.padded([(0, 0), (2, 1)], mode: .edge).data, [1, 1, 1, 2, 3, 3])
        XCTAssertEqual(try x.padded([(0, 0), (1, 2)], mode: .constant, value: -1).data, [-1, 1, 2, 3, -1, -1])
        // Cropping first: [2, 3] then reflect 1 before: [3, 2, 3].
        XCTAssertEqual(try x.padded([(0, 0), (1, -0)], mode: .reflect).data, [2, 1, 2, 3])
        XCTAssertEqual(try x.padded([(0, 0), (-1, 0)], mode: .edge).data, [2, 3])
        XCTAssertEqual(try x.padded([(0, 0), (1, -1)], mode: .reflect).data, [2, 1, 2])
        XCTAssertThrowsError(try x.padded([(0, 0), (3, 0)], mode: .reflect)) { error in
            XCTAssertTrue("\(error)".contains("less than the size"), "\(error)")
        }
        XCTAssertThrowsError(try x.padded([(0, 0), (-2, -1)], mode: .constant))
        XCTAssertThrowsError(try x.padded([(0, 0)], mode: .constant))
    }

    func testPaddingGradientsCollectEveryCopy() throws {
        for mode in PaddingMode.allCases {
            try GradientCheck.assertMatches([try GradientCheck.random([1, 2, 3, 4], seed: 4)]) { t in
                try t[0].padded([(0, 0), (1, 0), (1, -1), (-1, 2)], mode: mode, value: 0.5)
            }
        }
    }

    func testResizeTapsMatchTheOperatorFormulas() throws {
        let x = try Tensor(shape: [1, 1, 1, 2], data: [0, 1])
        // Linear half_pixel x2: source (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped: 0, 0.25, 0.75, 1.
        let linear = try x.resized(height: 1, width: 4, scales: (1, 2), sampling: ResizeSampling(mode: .linear))
        XCTAssertEqual(linear.data, [0, 0.25, 0.75, 1])
        // align_corners x2 on [0, 1]: i / 3.
        let corners = try x.resized(height: 1, width: 4, scales: (1, 2),
                                    sampling: ResizeSampling(mode: .linear, coordinateTransformation: .alignCorners))
        for (value, expected) in zip(corners.data, [0, 1.0 / 3, 2.0 / 3, 1]) { XCTAssertEqual(value, Float(expected), accuracy: 1e-6) }
        // Nearest half_pixel x2 of 3 values: source -0.25, 0.25, 0.75, 1.25, 1.75, 2.25; round_prefer_floor -> 0,0,1,1,2,2.
        let three = try Tensor(shape: [1, 1, 1, 3], data: [10, 20, 30])
        let nearest = try three.resized(height: 1, width: 6, scales: (1, 2), sampling: ResizeSampling(mode: .nearest))
        XCTAssertEqual(nearest.data, [10, 10, 20, 20, 30, 30])
        // Ties: asymmetric x0.5 -> sources 0, 2 exact; x(4/3) on 3 -> 0, 0.75, 1.5, 2.25; prefer floor picks 1 at 1.5, ceil 2.
        let floorTie = try three.resized(height: 1, width: 4, scales: (1, 4.0 / 3),
                                         sampling: ResizeSampling(mode: .nearest, coordinateTransformation: .asymmetric))
        XCTAssertEqual(floorTie.data, [10, 20, 20, 30])
        let ceilTie = try three.resized(height: 1, width: 4, scales: (1, 4.0 / 3),
                                        sampling: ResizeSampling(mode: .nearest, coordinateTransformation: .asymmetric, nearestRounding: .roundPreferCeil))
        XCTAssertEqual(ceilTie.data, [10, 20, 30, 30])
        for mode in [ResizeSampling.Mode.linear, .nearest] {
            try GradientCheck.assertMatches([try GradientCheck.random([1, 2, 3, 4], seed: 5)]) { t in
                try t[0].resized(height: 5, width: 9, scales: (5.0 / 3, 2.25), sampling: ResizeSampling(mode: mode))
            }
        }
    }

    func testPowerSqrtAndReductionNodes() throws {
        let x = try Tensor(shape: [1, 2, 2, 2], data: [1, 4, 9, 16, 0.25, 1, 2.25, 4])
        func node(_ op: LayerOp) -> LayerNode { LayerNode(name: "n", op: op, inputs: [LayerGraph.inputName]) }
        XCTAssertEqual(try node(.power(exponent: 0.5)).apply([x]).data, [1, 2, 3, 4, 0.5, 1, 1.5, 2])
        XCTAssertEqual(try node(.sqrt).apply([x]).data, [1, 2, 3, 4, 0.5, 1, 1.5, 2])
        XCTAssertEqual(try node(.power(exponent: 2)).apply([x]).data[1], 16)
        let mean = try node(.reduce(ReduceAttributes(operation: .mean, axes: [2, 3], keepDims: false))).apply([x])
        XCTAssertEqual(mean.shape, [1, 2])
        XCTAssertEqual(mean.data, [7.5, 1.875])
        let sum = try node(.reduce(ReduceAttributes(operation: .sum, axes: [1], keepDims: true))).apply([x])
        XCTAssertEqual(sum.shape, [1, 1, 2, 2])
        XCTAssertEqual(sum.data, [1.25, 5, 11.25, 20])
        let graph = try LayerGraph(nodes: [node(.reduce(ReduceAttributes(operation: .mean, axes: [1, 3], keepDims: false)))], output: "n")
        XCTAssertEqual(try graph.shapes(input: [1, 2, 5, 7])["n"], [1, 5])
        for op in [LayerOp.power(exponent: 3), .power(exponent: 0.5), .sqrt, .reduce(ReduceAttributes(operation: .mean, axes: [1, 2], keepDims: true)),
                   .reduce(ReduceAttributes(operation: .sum, axes: [3], keepDims: false))] {
            let input = try Tensor(shape: [1, 2, 3, 2], data: (0..<12).map { 0.5 + Float($0) * 0.2 })
            try GradientCheck.assertMatches([input], epsilon: 1e-3) { t in try node(op).apply(t) }
        }
    }

    func testPadAndResizeShapesAndReceptiveFields() throws {
        let pad = LayerNode(name: "pad", op: .pad(PadAttributes(pads: [0, 0, 4, 4, 0, 0, 4, 4], mode: .reflect)), inputs: [LayerGraph.inputName])
        let conv = LayerNode(name: "conv", op: .convolution(ConvolutionAttributes(stride: 2)), inputs: ["pad"],
                             parameters: ["weight": try Tensor(shape: [2, 3, 9, 9], data: [Float](repeating: 0.01, count: 486))])
        let up = LayerNode(name: "up", op: .resize(ResizeAttributes(sampling: ResizeSampling(mode: .nearest, coordinateTransformation: .asymmetric),
                                                                   scaleHeight: 2, scaleWidth: 2)), inputs: ["conv"])
        let graph = try LayerGraph(nodes: [pad, conv, up], output: "up")
        let shapes = try graph.shapes(input: [1, 3, 16, 20])
        XCTAssertEqual(shapes["pad"], [1, 3, 24, 28])
        XCTAssertEqual(shapes["conv"], [1, 2, 8, 10])
        XCTAssertEqual(shapes["up"], [1, 2, 16, 20])
        let fields = try graph.receptiveFields(shapes: shapes)
        // The 9x9 conv after a pad of 4 sees 9 pixels centred on input pixel 0 (start 4 - 4 = 0), jump 2;
        // nearest x2 halves the jump and keeps the field.
        XCTAssertEqual(fields["conv"]?.width.field, 9)
        XCTAssertEqual(fields["conv"]?.width.start, 0)
        XCTAssertEqual(fields["up"]?.width.jump, 1)
        XCTAssertEqual(fields["up"]?.width.field, 9)
        XCTAssertEqual(try graph.evaluate(try GradientCheck.random([1, 3, 16, 20], seed: 6)).shape, [1, 2, 16, 20])
        XCTAssertEqual(graph.nodes.map { $0.op.kind(kernel: $0.kernelSize) }, ["pad reflect", "conv 9x9/2", "resize nearest x2"])
    }
}
