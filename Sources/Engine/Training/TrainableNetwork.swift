/// A network that can be trained: the unfolded `LayerGraph` (batch norm and activations as
/// separate nodes, because `GraphNetwork` folds batch norm into convolutions and training
/// needs it apart), the shape of one example, and the class names.
///
/// Training updates the graph's parameter tensors in place; `network()` then makes a
/// `GraphNetwork` from a copy, so every reading technique works on the trained weights and
/// later training does not change a network already handed out.
public final class TrainableNetwork {
    public let name: String
    public let graph: LayerGraph
    /// One example's shape, [channels, height, width]; a multilayer perceptron on F features
    /// takes [1, 1, F] (examples of shape [F] are reshaped to it).
    public let inputShape: [Int]
    /// Indexed like the outputs; empty for a regression network.
    public let classNames: [String]
    /// Examples trained on so far, over every `Trainer.train` call.
    public internal(set) var examplesSeen = 0

    /// Throws `EngineError.invalid` / `.shapeMismatch` when the graph does not run on
    /// [1] + inputShape, or the class names do not match its output size.
    public init(name: String, graph: LayerGraph, inputShape: [Int], classNames: [String]) throws {
        let shapes = try graph.shapes(input: [1] + inputShape)
        let output = Array((shapes[graph.output] ?? []).dropFirst())
        if !classNames.isEmpty, output != [classNames.count] {
            throw EngineError.shapeMismatch("\(name): \(classNames.count) classes but the output has shape \(output)")
        }
        self.name = name
        self.graph = graph
        self.inputShape = inputShape
        self.classNames = classNames
    }

    /// `spec` built for examples of shape `input` ([c, h, w]) with weights drawn from `random`.
    /// Class names default to "0" ... "K−1" for a K-output network ending in softmax.
    public convenience init(spec: ConvNetSpec, input: [Int], classNames: [String]? = nil, name: String = "convnet",
                            random: inout SeededRandom) throws {
        let graph = try spec.graph(input: input, random: &random)
        let output = Array((try graph.shapes(input: [1] + input)[graph.output] ?? []).dropFirst())
        let isClassifier: Bool
        if case .fc(_, .softmax)? = spec.layers.last?.kind { isClassifier = true }
        else if case .activation(.softmax)? = spec.layers.last?.kind { isClassifier = true }
        else { isClassifier = classNames != nil }
        let names = isClassifier ? (classNames ?? (0..<(output.first ?? 0)).map(String.init)) : []
        try self.init(name: name, graph: graph, inputShape: input, classNames: names)
    }

    /// The tensors training changes: convolution and linear weights and biases, batch norm
    /// gamma and beta (not its running statistics), with whether weight decay applies (weights
    /// only, as ConvNetJS's `l2_decay_mul` is 0 for biases).
    public var trainableParameters: [(name: String, tensor: Tensor, decays: Bool)] {
        var result: [(String, Tensor, Bool)] = []
        for node in graph.nodes {
            switch node.op {
            case .convolution, .linear:
                if let weight = node.parameters["weight"] { result.append(("\(node.name).weight", weight, true)) }
                if let bias = node.parameters["bias"] { result.append(("\(node.name).bias", bias, false)) }
            case .batchNorm:
                if let gamma = node.parameters["gamma"] { result.append(("\(node.name).gamma", gamma, false)) }
                if let beta = node.parameters["beta"] { result.append(("\(node.name).beta", beta, false)) }
            default: break
            }
        }
        return result
    }

    /// The node whose output training compares with the targets: the graph output, or the
    /// input of a final softmax (cross-entropy is computed on logits).
    var logitsNode: String {
        if let last = graph.node(graph.output), case .softmax = last.op, let input = last.inputs.first,
           input != LayerGraph.inputName {
            return input
        }
        return graph.output
    }

    /// An inference network on a copy of the current weights (batch norm with its running
    /// statistics, dropout the identity), under `convention` (default: gray or RGB by the
    /// channel count, pixels 0...1, mean 0, std 1, these class names).
    public func network(convention: InputConvention? = nil) throws -> GraphNetwork {
        let nodes = graph.nodes.map { node in
            LayerNode(name: node.name, op: node.op, inputs: node.inputs,
                      parameters: node.parameters.mapValues { Tensor(validShape: $0.shape, data: $0.data) }, layer: node.layer)
        }
        let copy = try LayerGraph(nodes: nodes, output: graph.output, layerKinds: graph.layerKinds)
        let channels = inputShape[0]
        let order: InputConvention.ChannelOrder = channels == 3 ? .rgb : .gray
        guard channels == 1 || channels == 3 || convention != nil else {
            throw EngineError.unsupported("\(name): an inference network needs 1 or 3 input channels, this one has \(channels)")
        }
        let resolved = try convention ?? InputConvention(height: inputShape[1], width: inputShape[2], channelOrder: order,
                                                         classNames: classNames)
        return try GraphNetwork(name: name, graph: copy, inputConvention: resolved)
    }
}
