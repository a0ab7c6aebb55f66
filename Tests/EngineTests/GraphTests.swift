import XCTest
@testable import Engine

/// The layer graph on small hand-built networks whose answers are computed here independently:
/// forward values with plain loops, input gradients with central differences, early stops and
/// captures on branches, receptive fields by hand, and errors that name the node.
final class GraphTests: XCTestCase {
    private func tensor(_ shape: [Int], seed: UInt64, scale: Float = 1) throws -> Tensor {
        try Tensor(shape: shape, data: techniqueRandomValues(shape.reduce(1, *), seed: seed).map { $0 * scale })
    }

    private func convention(_ height: Int, _ width: Int, channels: Int = 3, classes: Int = 0) throws -> InputConvention {
        try InputConvention(height: height, width: width, channelOrder: channels == 1 ? .gray : .rgb,
                            classNames: (0..<classes).map { "class \($0)" })
    }

    // MARK: conv -> relu -> residual add -> global pool -> linear

    /// Input [1, 3, 5, 5]; "block": conv 3x3 pad 1 (3 -> 3, bias) -> relu -> + input;
    /// "pool": global average -> flatten; "logits": linear 3 -> 2.
    private func residualNetwork() throws -> (GraphNetwork, weight: Tensor, bias: Tensor, fc: Tensor, fcBias: Tensor) {
        let weight = try tensor([3, 3, 3, 3], seed: 1, scale: 0.5), bias = try tensor([3], seed: 2, scale: 0.1)
        let fc = try tensor([2, 3], seed: 3), fcBias = try tensor([2], seed: 4, scale: 0.1)
        let graph = try LayerGraph(nodes: [
            LayerNode(name: "block/conv", op: .convolution(ConvolutionAttributes(padding: .symmetric(1))), inputs: ["input"],
                      parameters: ["weight": weight, "bias": bias], layer: "block"),
            LayerNode(name: "block/relu", op: .relu, inputs: ["block/conv"], layer: "block"),
            LayerNode(name: "block/add", op: .add, inputs: ["block/relu", "input"], layer: "block"),
            LayerNode(name: "pool/global", op: .globalAveragePool, inputs: ["block/add"], layer: "pool"),
            LayerNode(name: "pool/flatten", op: .flatten, inputs: ["pool/global"], layer: "pool"),
            LayerNode(name: "logits", op: .linear, inputs: ["pool/flatten"], parameters: ["weight": fc, "bias": fcBias]),
        ])
        let network = try GraphNetwork(name: "residual", graph: graph,
                                       inputConvention: try convention(5, 5, classes: 2))
        return (network, weight, bias, fc, fcBias)
    }

    func testResidualGraphForwardMatchesPlainLoops() throws {
        let (network, weight, bias, fc, fcBias) = try residualNetwork()
        let x = try tensor([1, 3, 5, 5], seed: 5)
        // Plain loops: conv 3x3 with zero padding 1, ReLU, plus the input, mean per channel, linear.
        var pooled = [Double](repeating: 0, count: 3)
        for o in 0..<3 {
            for y in 0..<5 {
                for x0 in 0..<5 {
                    var sum = Double(bias.data[o])
                    for i in 0..<3 {
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let (iy, ix) = (y + ky - 1, x0 + kx - 1)
                                guard iy >= 0, iy < 5, ix >= 0, ix < 5 else { continue }
                                sum += Double(weight.data[((o * 3 + i) * 3 + ky) * 3 + kx]) * Double(x.data[(i * 5 + iy) * 5 + ix])
                            }
                        }
                    }
                    pooled[o] += (max(sum, 0) + Double(x.data[(o * 5 + y) * 5 + x0])) / 25
                }
            }
        }
        let expected = (0..<2).map { k in Double(fcBias.data[k]) + (0..<3).reduce(0) { $0 + Double(fc.data[k * 3 + $1]) * pooled[$1] } }
        let output = try network.forward(x, capture: [], until: nil).output
        XCTAssertEqual(output.shape, [1, 2])
        for k in 0..<2 { XCTAssertEqual(Double(output.data[k]), expected[k], accuracy: 1e-5) }
        // The conv and its ReLU were fused into one node, which kept the ReLU's name.
        XCTAssertEqual(network.graph.nodes.map(\.name), ["block/relu", "block/add", "pool/global", "pool/flatten", "logits"])
        XCTAssertEqual(network.layers.map(\.name), ["block", "pool", "logits"])
        XCTAssertEqual(network.layers.map(\.kind), ["conv 3x3 + relu + add", "global avg pool", "linear"])
        XCTAssertEqual(network.layers.map(\.outputShape), [[3, 5, 5], [3], [2]])
        XCTAssertEqual(network.layers.map(\.parameterCount), [81 + 3, 0, 6 + 2])
    }

    func testResidualGraphInputGradientMatchesFiniteDifferences() throws {
        let (network, _, _, _, _) = try residualNetwork()
        let x = try tensor([1, 3, 5, 5], seed: 6)
        try GradientCheck.assertMatches([x], epsilon: 1e-3) { try network.forward($0[0], capture: [], until: nil).output }
    }

    // MARK: early stops and captures on branches

    /// input -> "stem" conv 1x1 -> two branches "left" (conv 1x1) and "right" (conv 3x3 pad 1
    /// -> sigmoid) -> "joined" concat -> "pool" global average.
    private func branchyNetwork() throws -> GraphNetwork {
        let conv = { (seed: UInt64, shape: [Int], padding: Int) throws -> LayerNode.Parts in
            (.convolution(ConvolutionAttributes(padding: .symmetric(padding))), ["weight": try self.tensor(shape, seed: seed)])
        }
        let stem = try conv(11, [4, 3, 1, 1], 0), left = try conv(12, [2, 4, 1, 1], 0), right = try conv(13, [3, 4, 3, 3], 1)
        let graph = try LayerGraph(nodes: [
            LayerNode(name: "stem", op: stem.op, inputs: ["input"], parameters: stem.parameters),
            LayerNode(name: "left", op: left.op, inputs: ["stem"], parameters: left.parameters),
            LayerNode(name: "right/conv", op: right.op, inputs: ["stem"], parameters: right.parameters, layer: "right"),
            LayerNode(name: "right/sigmoid", op: .sigmoid, inputs: ["right/conv"], layer: "right"),
            LayerNode(name: "joined", op: .concat(axis: 1), inputs: ["left", "right/sigmoid"]),
            LayerNode(name: "pool", op: .globalAveragePool, inputs: ["joined"]),
        ])
        return try GraphNetwork(name: "branchy", graph: graph, inputConvention: try convention(6, 6))
    }

    func testUntilAndCaptureOnBranches() throws {
        let network = try branchyNetwork()
        XCTAssertEqual(network.layers.map(\.name), ["stem", "left", "right", "joined", "pool"])
        let x = try tensor([2, 3, 6, 6], seed: 14)
        let full = try network.forward(x, capture: ["left", "right", "joined"], until: nil)
        XCTAssertEqual(full.output.shape, [2, 5, 1, 1])
        let (left, right) = (try XCTUnwrap(full.activations["left"]), try XCTUnwrap(full.activations["right"]))
        XCTAssertEqual(left.shape, [2, 2, 6, 6])
        XCTAssertEqual(right.shape, [2, 3, 6, 6])
        XCTAssertEqual(full.activations["joined"]?.data, try Tensor.concat([left, right], axis: 1).data)

        // Stopping at one branch computes that branch; the other can still be captured.
        let early = try network.forward(x, capture: ["stem", "left"], until: "right")
        XCTAssertEqual(early.output.data, right.data)
        XCTAssertEqual(early.activations["left"]?.data, left.data)
        XCTAssertEqual(early.activations["stem"]?.shape, [2, 4, 6, 6])
        // A node inside a layer can be asked for by its own name.
        XCTAssertEqual(try network.forward(x, capture: [], until: "right/conv").output.shape, [2, 3, 6, 6])

        XCTAssertThrowsError(try network.forward(x, capture: ["pool"], until: "right")) { error in
            XCTAssertTrue("\(error)".contains("comes after"), "\(error)")
        }
        XCTAssertThrowsError(try network.forward(x, capture: [], until: "fc7")) { error in
            XCTAssertTrue("\(error)".contains("stem, left, right, joined, pool"), "\(error)")
        }
    }

    // MARK: receptive fields

    /// Along the width: conv 3x3 pad 1 (rf 3, jump 1, start 0); maxpool 2/2 (rf 4, jump 2,
    /// start 0.5); branches conv 3x3 dilation 2 pad 2 (rf 4 + 4 * 2 = 12) and conv 1x1 (rf 4)
    /// added: the larger, 12; conv 3x3 stride 2 padded left 0, right 2 (rf 12 + 2 * 2 = 16,
    /// jump 4, start 0.5 + 1 * 2 = 2.5; output (8 + 2 - 3) / 2 + 1 = 4); global pooling over
    /// 4 units: rf 16 + 3 * 4 = 28, start 2.5 + 1.5 * 4 = 8.5.
    func testReceptiveFieldsAlongTheGraph() throws {
        func conv(_ name: String, _ input: String, _ shape: [Int], stride: Int = 1, padding: Padding, dilation: Int = 1) throws -> LayerNode {
            LayerNode(name: name, op: .convolution(ConvolutionAttributes(stride: stride, padding: padding, dilation: dilation)),
                      inputs: [input], parameters: ["weight": try tensor(shape, seed: 20)])
        }
        let graph = try LayerGraph(nodes: [
            try conv("c1", "input", [2, 1, 3, 3], padding: .symmetric(1)),
            LayerNode(name: "p1", op: .maxPool(PoolAttributes(kernel: 2, stride: 2)), inputs: ["c1"]),
            try conv("dilated", "p1", [2, 2, 3, 3], padding: .symmetric(2), dilation: 2),
            try conv("pointwise", "p1", [2, 2, 1, 1], padding: .symmetric(0)),
            LayerNode(name: "sum", op: .add, inputs: ["dilated", "pointwise"]),
            try conv("strided", "sum", [2, 2, 3, 3], stride: 2, padding: .explicit(top: 1, left: 0, bottom: 1, right: 2)),
            LayerNode(name: "gap", op: .globalAveragePool, inputs: ["strided"]),
        ])
        let network = try GraphNetwork(name: "fields", graph: graph, inputConvention: try convention(16, 16, channels: 1))
        let fields = network.layers.map { [Double($0.receptiveField), Double($0.jump), $0.start] }
        XCTAssertEqual(fields, [[3, 1, 0], [4, 2, 0.5], [12, 2, 0.5], [4, 2, 0.5], [12, 2, 0.5], [16, 4, 2.5], [28, 4, 8.5]])
        XCTAssertEqual(network.layers.map(\.outputShape),
                       [[2, 16, 16], [2, 8, 8], [2, 8, 8], [2, 8, 8], [2, 8, 8], [2, 4, 4], [2, 1, 1]])
        XCTAssertEqual(network.layers[1].kind, "maxpool 2/2")
        XCTAssertEqual(network.layers[5].kind, "conv 3x3/2")
    }

    // MARK: folding

    /// conv -> batch norm -> relu6 folded into one node gives the unfolded values.
    func testBatchNormAndActivationFoldIntoTheConvolution() throws {
        let weight = try tensor([3, 3, 3, 3], seed: 30), x = try tensor([1, 3, 6, 6], seed: 31, scale: 3)
        let gamma = try tensor([3], seed: 32), beta = try tensor([3], seed: 33)
        let mean = try tensor([3], seed: 34), variance = try Tensor(shape: [3], data: [0.5, 1, 2])
        let graph = try LayerGraph(nodes: [
            LayerNode(name: "conv", op: .convolution(ConvolutionAttributes(stride: 2, padding: .same)), inputs: ["input"],
                      parameters: ["weight": weight], layer: "block"),
            LayerNode(name: "bn", op: .batchNorm(epsilon: 1e-3), inputs: ["conv"],
                      parameters: ["gamma": gamma, "beta": beta, "mean": mean, "variance": variance], layer: "block"),
            LayerNode(name: "act", op: .relu6, inputs: ["bn"], layer: "block"),
        ])
        let network = try GraphNetwork(name: "folded", graph: graph, inputConvention: try convention(6, 6))
        XCTAssertEqual(network.graph.nodes.count, 1)
        XCTAssertEqual(network.graph.nodes.first?.name, "act")
        let expected = try x.conv2d(weight: weight, bias: nil, stride: 2, padding: .same)
            .batchNorm(mean: mean, variance: variance, gamma: gamma, beta: beta, eps: 1e-3).relu6()
        let output = try network.forward(x, capture: [], until: nil).output
        XCTAssertEqual(output.shape, expected.shape)
        for (a, b) in zip(output.data, expected.data) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        XCTAssertEqual(network.layers.first?.kind, "conv 3x3/2 + relu6")
    }

    // MARK: the pretrained architectures as graphs

    /// Loaded, every batch norm is folded and every ReLU/ReLU6 after a convolution fused into
    /// it (the fast paths), and the layers keep their names and descriptions.
    func testLoadersFoldBatchNormAndFuseActivations() throws {
        func standalone(_ network: GraphNetwork) -> [String] {
            network.graph.nodes.filter { node in
                switch node.op {
                case .batchNorm, .relu, .relu6: return true
                default: return false
                }
            }.map(\.name)
        }
        let efficientNet = try RandomNetworkWeights.efficientNetLite0(seed: 60)
        XCTAssertEqual(standalone(efficientNet), [])
        let kinds = Dictionary(uniqueKeysWithValues: efficientNet.layers.map { ($0.name, $0.kind) })
        XCTAssertEqual(kinds["stem"], "conv 3x3/2 + relu6")
        XCTAssertEqual(kinds["blocks.1"], "mbconv 3x3/2 expand 6")
        XCTAssertEqual(kinds["head"], "conv 1x1 + relu6")
        XCTAssertEqual(kinds["pool"], "global avg pool")
        XCTAssertEqual(efficientNet.inputConvention.mean, [127, 127, 127])

        let squeezeNet = try RandomNetworkWeights.squeezeNet(seed: 61)
        XCTAssertEqual(standalone(squeezeNet), [])
        let fire2 = try XCTUnwrap(squeezeNet.layers.first { $0.name == "fire2" })
        XCTAssertEqual(fire2.kind, "fire 16->64+64")
        XCTAssertEqual(fire2.parameterCount, (64 * 16 + 16) + (16 * 64 + 64) + (16 * 64 * 9 + 64))
        XCTAssertEqual(squeezeNet.layers.first?.kind, "conv 3x3/2 + relu")
        XCTAssertEqual(squeezeNet.inputConvention.channelOrder, .bgr)
    }

    // MARK: input conventions

    func testInputConventionRoundTripsRGBMeanStdAndBGR255() throws {
        let pixels = techniqueRandomValues(4 * 3 * 3, seed: 40).map { ($0 + 1) / 2 }
        let image = try Image(width: 4, height: 3, channels: 3, pixels: pixels)
        let imagenet = try InputConvention(height: 3, width: 4, channelOrder: .rgb, scale: 1, mean: [0.485, 0.456, 0.406],
                                           std: [0.229, 0.224, 0.225])
        let caffe = try InputConvention(height: 3, width: 4, channelOrder: .bgr, scale: 255, mean: [104, 117, 123])
        for convention in [imagenet, caffe] {
            let x = try convention.preprocess(image)
            XCTAssertEqual(x.shape, [1, 3, 3, 4])
            let back = try convention.deprocess(x, network: "test")
            for (a, b) in zip(back.pixels, pixels) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        }
        // Pixel (x 1, y 2): tensor channel 0 is red for RGB, blue for BGR.
        let pixel = (2 * 4 + 1) * 3
        XCTAssertEqual(try imagenet.preprocess(image).data[2 * 4 + 1], (pixels[pixel] - 0.485) / 0.229, accuracy: 1e-6)
        XCTAssertEqual(try caffe.preprocess(image).data[2 * 4 + 1], pixels[pixel + 2] * 255 - 104, accuracy: 1e-4)
        // The techniques' input space is the same map: d tensor / d pixel and the value of black.
        let space = InputSpace(convention: caffe)
        XCTAssertEqual(space.source, [2, 1, 0])
        XCTAssertEqual(space.scale, [255, 255, 255])
        XCTAssertEqual(space.offset, [-104, -117, -123])
        XCTAssertEqual(InputSpace(convention: imagenet).scale[1], 1 / 0.224, accuracy: 1e-6)
        // A gray network averages colour images with luma weights; std 0 is refused.
        let gray = try InputConvention(height: 3, width: 4, channelOrder: .gray)
        XCTAssertEqual(try gray.preprocess(image).data[0], 0.299 * pixels[0] + 0.587 * pixels[1] + 0.114 * pixels[2], accuracy: 1e-6)
        XCTAssertThrowsError(try InputConvention(height: 3, width: 4, channelOrder: .rgb, std: [1, 0, 1]))
    }

    // MARK: errors

    func testShapeErrorsNameTheNode() throws {
        let graph = try LayerGraph(nodes: [
            LayerNode(name: "first", op: .convolution(ConvolutionAttributes()), inputs: ["input"],
                      parameters: ["weight": try tensor([4, 3, 3, 3], seed: 50)]),
            LayerNode(name: "second", op: .convolution(ConvolutionAttributes()), inputs: ["first"],
                      parameters: ["weight": try tensor([2, 5, 1, 1], seed: 51)]),
        ])
        XCTAssertThrowsError(try GraphNetwork(name: "broken", graph: graph, inputConvention: try convention(8, 8))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("broken") && text.contains("'second'") && text.contains("[1, 4, 6, 6]"), text)
        }
        // The same graph fails at run time too when fed a tensor it does not fit.
        let fits = try LayerGraph(nodes: [graph.nodes[0]])
        let network = try GraphNetwork(name: "small", graph: fits, inputConvention: try convention(8, 8))
        XCTAssertThrowsError(try network.forward(try Tensor(zeros: [1, 3, 2, 2]), capture: [], until: nil)) { error in
            XCTAssertTrue("\(error)".contains("'first'"), "\(error)")
        }
        // Structural errors name the node as well.
        XCTAssertThrowsError(try LayerGraph(nodes: [LayerNode(name: "sum", op: .add, inputs: ["input", "later"]),
                                                    LayerNode(name: "later", op: .relu, inputs: ["input"])])) { error in
            XCTAssertTrue("\(error)".contains("'sum'") && "\(error)".contains("topological"), "\(error)")
        }
        XCTAssertThrowsError(try LayerGraph(nodes: [LayerNode(name: "fc", op: .linear, inputs: ["input"])])) { error in
            XCTAssertTrue("\(error)".contains("'fc'") && "\(error)".contains("weight"), "\(error)")
        }
    }
}

extension LayerNode {
    /// An op with its parameters, for building test graphs tersely.
    typealias Parts = (op: LayerOp, parameters: [String: Tensor])
}
