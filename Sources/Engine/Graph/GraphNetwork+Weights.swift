import Foundation

/// A network's learned tensors as one flat, named set: what `save(net, "f.safetensors")` writes
/// and `model("f.safetensors", like: net)` reads back into the same graph.
///
/// Names are "node.parameter" of the folded graph that runs (`GraphNetwork.graph`):
/// "fire2_squeeze.weight", "classifier_1.bias". Folded batch norms live in their convolution's
/// weight and bias, so a file holds exactly what the graph computes with.
extension LayerGraph {
    /// Every parameter as ("node.parameter", tensor), nodes in graph order, each node's
    /// parameters sorted by name.
    public var namedParameters: [(name: String, tensor: Tensor)] {
        nodes.flatMap { node in node.parameters.keys.sorted().compactMap { key in node.parameters[key].map { ("\(node.name).\(key)", $0) } } }
    }

    /// The same graph with every parameter replaced by the array of the same name in `weights`.
    ///
    /// Throws `EngineError.shapeMismatch` naming the tensor and both shapes when an array's
    /// shape differs from the parameter's, and `EngineError.format` naming (up to five of)
    /// the tensors the graph needs but `weights` lacks, or `weights` holds but no node has:
    /// a file of another network is refused rather than half loaded.
    public func replacingParameters(with weights: NamedWeights) throws -> LayerGraph {
        let expected = namedParameters
        let needed = Set(expected.map(\.name))
        let missing = expected.map(\.name).filter { weights[$0] == nil }
        let extra = weights.names.filter { !needed.contains($0) }
        func listed(_ names: [String]) -> String {
            names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
        }
        guard missing.isEmpty, extra.isEmpty else {
            var problems: [String] = []
            if !missing.isEmpty { problems.append("lacks \(missing.count) tensor\(missing.count == 1 ? "" : "s") the network needs (\(listed(missing)))") }
            if !extra.isEmpty { problems.append("holds \(extra.count) tensor\(extra.count == 1 ? "" : "s") the network has no place for (\(listed(extra)))") }
            throw EngineError.format("\(weights.source) \(problems.joined(separator: " and ")); was it saved from this network?")
        }
        var replaced = nodes
        for index in replaced.indices {
            for (key, tensor) in replaced[index].parameters {
                let name = "\(replaced[index].name).\(key)"
                let array = try weights.require(name)
                guard array.shape == tensor.shape else {
                    throw EngineError.shapeMismatch("\(weights.source): '\(name)' has shape \(array.shape), the network's is \(tensor.shape)")
                }
                replaced[index].parameters[key] = try Tensor(shape: array.shape, data: array.values)
            }
        }
        return try LayerGraph(nodes: replaced, output: output, layerKinds: layerKinds)
    }
}

extension GraphNetwork {
    /// Writes every parameter (`LayerGraph.namedParameters`) to `path` as safetensors
    /// (https://huggingface.co/docs/safetensors: 8-byte header length, JSON header, raw
    /// little-endian F32 data), atomically through `BoundedFile`. The header's `__metadata__`
    /// names the network. Throws `EngineError.io` naming the path when it cannot be written.
    public func saveWeights(to path: String) throws {
        try Safetensors.write(try weightArrays(), to: path, metadata: ["format": "pt", "convlens.network": name])
    }

    /// The safetensors bytes `saveWeights` writes.
    public func encodedWeights() throws -> [UInt8] {
        try Safetensors.encode(try weightArrays(), metadata: ["format": "pt", "convlens.network": name])
    }

    /// This network's graph and convention with the weights in `weights` (any weight file
    /// `WeightFile` reads, named as `saveWeights` names them), called `name`. Throws what
    /// `LayerGraph.replacingParameters(with:)` throws.
    public func withWeights(_ weights: NamedWeights, name: String) throws -> GraphNetwork {
        try GraphNetwork(name: name, graph: try graph.replacingParameters(with: weights), inputConvention: inputConvention)
    }

    private func weightArrays() throws -> [(name: String, array: WeightArray)] {
        try graph.namedParameters.map { ($0.name, try WeightArray(shape: $0.tensor.shape, values: $0.tensor.data)) }
    }
}
