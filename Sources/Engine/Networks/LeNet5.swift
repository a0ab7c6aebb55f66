/// The LeNet-5-style MNIST classifier of PyPI `advertorch` 0.2.3 (`advertorch.test_utils.LeNet5`),
/// with its two published weight sets: plainly trained (`mnist_lenet5_clntrained.pt`) and
/// adversarially trained with PGD (`mnist_lenet5_advtrained.pt`), built as a `LayerGraph`.
///
/// conv1 3x3 (1 -> 32, padding 1) + ReLU, max pool 2; conv2 3x3 (32 -> 64, padding 1) + ReLU,
/// max pool 2; linear 3136 -> 200 + ReLU; linear 200 -> 10. Input 28x28 gray in 0...1, white
/// digit on black, no normalisation (advertorch trains on `ToTensor()` alone).
public enum LeNet5 {
    static func inputConvention() throws -> InputConvention {
        try InputConvention(height: 28, width: 28, channelOrder: .gray, scale: 1, mean: [0], std: [1],
                            resizeShorterSide: 28, classNames: (0..<10).map(String.init))
    }

    /// The network from advertorch's state dict (conv1, conv2, linear1, linear2 weights and
    /// biases). Throws `EngineError.shapeMismatch` naming the array when one has the wrong shape.
    public static func load(name: String, weights: NamedWeights) throws -> GraphNetwork {
        try GraphNetwork(name: name, graph: try graph(weights: weights), inputConvention: try inputConvention())
    }

    /// Layers conv1, pool1, conv2, pool2, fc1 (flatten, linear, ReLU), logits.
    public static func graph(weights: NamedWeights) throws -> LayerGraph {
        var builder = GraphBuilder(weights: weights)
        func conv(_ name: String, from input: String, _ shape: [Int]) throws -> String {
            let node = builder.add("\(name)/conv", .convolution(ConvolutionAttributes(padding: .symmetric(1))), [input],
                                   parameters: ["weight": try builder.tensor("\(name).weight", shape: shape),
                                                "bias": try builder.tensor("\(name).bias", shape: [shape[0]])],
                                   layer: name)
            return builder.add(name, .relu, [node], layer: name)
        }
        var last = try conv("conv1", from: LayerGraph.inputName, [32, 1, 3, 3])
        last = builder.add("pool1", .maxPool(PoolAttributes(kernel: 2, stride: 2)), [last])
        last = try conv("conv2", from: last, [64, 32, 3, 3])
        last = builder.add("pool2", .maxPool(PoolAttributes(kernel: 2, stride: 2)), [last])
        last = builder.add("fc1/flatten", .flatten, [last], layer: "fc1")
        last = builder.add("fc1/linear", .linear, [last], parameters: [
            "weight": try builder.tensor("linear1.weight", shape: [200, 3136]),
            "bias": try builder.tensor("linear1.bias", shape: [200]),
        ], layer: "fc1")
        last = builder.add("fc1", .relu, [last], layer: "fc1")
        builder.add("logits", .linear, [last], parameters: [
            "weight": try builder.tensor("linear2.weight", shape: [10, 200]),
            "bias": try builder.tensor("linear2.bias", shape: [10]),
        ])
        return try builder.graph()
    }
}
