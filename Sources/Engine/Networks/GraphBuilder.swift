/// Helpers the network loaders share to turn a weight file into `LayerNode`s: engine tensors
/// from file arrays, with the file's name in every error.
struct GraphBuilder {
    let weights: NamedWeights
    private(set) var nodes: [LayerNode] = []
    private(set) var layerKinds: [String: String] = [:]

    init(weights: NamedWeights) {
        self.weights = weights
    }

    /// The array `key` as a tensor, optionally checking its shape (`EngineError.shapeMismatch`
    /// naming the file and the array otherwise).
    func tensor(_ key: String, shape: [Int]? = nil) throws -> Tensor {
        let array = try weights.require(key, shape: shape)
        return try Tensor(shape: array.shape, data: array.values)
    }

    /// Appends a node and returns its name, for the next node's inputs.
    @discardableResult
    mutating func add(_ name: String, _ op: LayerOp, _ inputs: [String], parameters: [String: Tensor] = [:],
                      layer: String? = nil) -> String {
        nodes.append(LayerNode(name: name, op: op, inputs: inputs, parameters: parameters, layer: layer))
        return name
    }

    /// Describes a grouped layer for `layers(net)`.
    mutating func describe(_ layer: String, as kind: String) {
        layerKinds[layer] = kind
    }

    func graph() throws -> LayerGraph {
        try LayerGraph(nodes: nodes, layerKinds: layerKinds)
    }
}
