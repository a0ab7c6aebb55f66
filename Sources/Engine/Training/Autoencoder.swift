/// ConvNetJS's MNIST autoencoder demo (cs.stanford.edu/people/karpathy/convnetjs/demo/
/// autoencoder.html): "a regression task where the network is asked to predict its input",
/// through a bottleneck of a few neurons (two in the demo) whose firings are the digit's code.
///
/// The demo's layers, followed here: input 28x28x1, fc 50 tanh, fc 50 tanh, fc 2 (the code,
/// linear), fc 50 tanh, fc 50 tanh, regression 784 (linear, trained with squared error on the
/// pixels). The demo trains with Adadelta, batch 50, L2 decay 0.001; `train` picks the
/// optimizer, so the notebook passes those.
public enum Autoencoder {
    /// The encoder's hidden widths before the code (the decoder mirrors them).
    public static let demoHidden = [50, 50]

    /// The layer description for examples of `inputSize` values: tanh layers of `hidden`, a
    /// linear code of `code` units, the mirrored tanh layers, and a linear output of
    /// `inputSize`. Throws `EngineError.invalid` for a code or a width below 1.
    public static func spec(code: Int, hidden: [Int] = demoHidden, inputSize: Int) throws -> ConvNetSpec {
        guard code >= 1, inputSize >= 1, hidden.allSatisfy({ $0 >= 1 }) else {
            throw EngineError.invalid("autoencoder: the code (\(code)), hidden widths \(hidden) and input size (\(inputSize)) must be at least 1")
        }
        let encoder = hidden.map { "fc \($0) tanh" }
        let decoder = hidden.reversed().map { "fc \($0) tanh" }
        return try ConvNetSpec((encoder + ["fc \(code)"] + decoder + ["fc \(inputSize)"]).joined(separator: ", "))
    }

    /// A new autoencoder for examples of shape `input` ([channels, height, width]) with weights
    /// drawn from `random`: a regression network (no class names) named "autoencoder".
    public static func make(code: Int, hidden: [Int] = demoHidden, input: [Int], random: inout SeededRandom) throws -> TrainableNetwork {
        let size = input.reduce(1, *)
        let graph = try spec(code: code, hidden: hidden, inputSize: size).graph(input: input, random: &random)
        return try TrainableNetwork(name: "autoencoder", graph: graph, inputShape: input, classNames: [])
    }

    /// Whether `network` maps an example to as many values as it has inputs with no classes:
    /// what training on a set whose targets are its own inputs needs.
    public static func reconstructs(_ network: TrainableNetwork) -> Bool {
        guard network.classNames.isEmpty,
              let shapes = try? network.graph.shapes(input: [1] + network.inputShape),
              let output = shapes[network.graph.output] else { return false }
        return output.dropFirst().reduce(1, *) == network.inputShape.reduce(1, *)
    }

    /// `data` with each example's target its own values (shape as the example): the
    /// autoencoder's regression set. Class labels are dropped (keep `data` to colour codes).
    public static func selfTargets(_ data: LabeledDataset) throws -> LabeledDataset {
        try LabeledDataset(name: data.name, sampleShape: data.sampleShape, inputs: data.inputs,
                           targets: .values(data: data.inputs, shape: data.sampleShape))
    }

    /// The bottleneck: the linear (fc) node with the fewest outputs, the first one on a tie;
    /// nil for a network without fc layers.
    public static func codeNode(of network: TrainableNetwork) -> String? {
        guard let shapes = try? network.graph.shapes(input: [1] + network.inputShape) else { return nil }
        var best: (name: String, width: Int)?
        for node in network.graph.nodes {
            guard case .linear = node.op, let shape = shapes[node.name] else { continue }
            let width = shape.dropFirst().reduce(1, *)
            if best == nil || width < (best?.width ?? .max) { best = (node.name, width) }
        }
        return best?.name
    }

    /// The output of `layer` (a layer name, whose last node is used, or a node name) for
    /// the first `limit` examples of `data`, with inference semantics and no gradients, as an
    /// [n, features] tensor in 100-example chunks. Throws `EngineError.invalid` for an unknown
    /// layer or examples that do not fit the network.
    public static func activations(_ network: TrainableNetwork, data: LabeledDataset, layer: String,
                                   limit: Int = .max) throws -> Tensor {
        guard data.sampleSize == network.inputShape.reduce(1, *) else {
            throw EngineError.shapeMismatch("\(network.name) takes \(network.inputShape), \(data.name) has examples of shape \(data.sampleShape)")
        }
        let target = try node(named: layer, in: network)
        let total = min(limit, data.count)
        guard total > 0 else { throw EngineError.invalid("\(data.name): no examples") }
        var values = [Float](), batch = [Float]()
        var width = 0
        let parameters = network.trainableParameters.map(\.tensor)
        let recording = parameters.map(\.requiresGrad)
        for tensor in parameters { tensor.requiresGrad = false }
        defer { for (tensor, flag) in zip(parameters, recording) { tensor.requiresGrad = flag } }
        for start in stride(from: 0, to: total, by: 100) {
            let indices = Array(start..<min(total, start + 100))
            Trainer.gather(data.inputs, size: data.sampleSize, indices, into: &batch)
            let output = try run(network, try Tensor(shape: [indices.count] + network.inputShape, data: batch), to: target)
            width = output.count / indices.count
            values.append(contentsOf: output.data)
        }
        return try Tensor(shape: [total, width], data: values)
    }

    /// The node to read for `layer`: the last node of the layer of that name (its output after
    /// its activation, as ConvNetJS shows a layer), else the node of that name ("fc2.tanh").
    static func node(named layer: String, in network: TrainableNetwork) throws -> String {
        if let last = network.graph.nodes.last(where: { $0.layerName == layer }) { return last.name }
        if network.graph.node(layer) != nil { return layer }
        let names = network.graph.nodes.map(\.name).joined(separator: ", ")
        throw EngineError.invalid("\(network.name) has no layer '\(layer)' (its layers: \(names))")
    }

    /// Runs the graph in order up to node `target` (inference semantics).
    static func run(_ network: TrainableNetwork, _ x: Tensor, to target: String) throws -> Tensor {
        var values = [LayerGraph.inputName: x]
        for node in network.graph.nodes {
            let inputs = node.inputs.compactMap { values[$0] }
            do {
                values[node.name] = try node.apply(inputs)
            } catch let error as EngineError {
                throw LayerGraph.naming(node, inputShapes: inputs.map(\.shape), error)
            }
            if node.name == target { break }
        }
        guard let output = values[target] else { throw EngineError.invalid("\(network.name): '\(target)' was not computed") }
        return output
    }
}
