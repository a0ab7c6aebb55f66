/// Load-time rewriting of a graph for speed, leaving its outputs unchanged (up to Float
/// rounding) and every user-visible layer where it was.
extension LayerGraph {
    /// The graph with each batch norm folded into the convolution before it (`BatchNormFolding`:
    /// y = gamma (Wx + b − mean) / sqrt(var + eps) + beta is one convolution) and each ReLU or
    /// ReLU6 fused into the convolution before it (`FusedActivation`), which saves one pass over
    /// the activation and its allocation per node.
    ///
    /// A convolution is rewritten only when the batch norm or activation is its only reader and
    /// its own output is not a visible layer or the graph output: then no one can ask for the
    /// value that disappears. The fused node takes the later node's name and layer, whose
    /// output it computes. Throws `EngineError.shapeMismatch` when batch-norm statistics do
    /// not match the convolution's output channels.
    public func folded() throws -> LayerGraph {
        let readers = consumers
        let visible = Set(layerOutputs.map(\.node)).union([output])
        var result: [LayerNode] = []
        var position: [String: Int] = [:]
        for node in nodes {
            if node.inputs.count == 1, let producer = node.inputs.first, let at = position[producer],
               case .convolution(var attributes) = result[at].op, attributes.activation == .none,
               readers[producer]?.count == 1, !visible.contains(producer),
               let rewritten = try LayerGraph.fuse(node, into: result[at], attributes: &attributes) {
                position[producer] = nil
                position[node.name] = at
                result[at] = rewritten
                continue
            }
            position[node.name] = result.count
            result.append(node)
        }
        return try LayerGraph(nodes: result, output: output, layerKinds: layerKinds)
    }

    /// `conv` with `node` (a batch norm, ReLU or ReLU6 reading it) folded in, or nil when
    /// `node` is none of those.
    private static func fuse(_ node: LayerNode, into conv: LayerNode, attributes: inout ConvolutionAttributes) throws -> LayerNode? {
        var parameters = conv.parameters
        switch node.op {
        case .batchNorm(let epsilon):
            guard let weight = conv.parameters["weight"], let mean = node.parameters["mean"],
                  let variance = node.parameters["variance"] else { return nil }
            do {
                let folded = try BatchNormFolding.fold(weight: weight, bias: conv.parameters["bias"], mean: mean,
                                                       variance: variance, gamma: node.parameters["gamma"],
                                                       beta: node.parameters["beta"], eps: epsilon)
                parameters["weight"] = folded.weight
                parameters["bias"] = folded.bias
            } catch let error as EngineError {
                throw naming(node, inputShapes: [], error)
            }
        case .relu: attributes.activation = .relu
        case .relu6: attributes.activation = .relu6
        default: return nil
        }
        return LayerNode(name: node.name, op: .convolution(attributes), inputs: conv.inputs, parameters: parameters,
                         layer: node.layer)
    }
}
