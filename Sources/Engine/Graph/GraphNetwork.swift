/// A network described by data: a `LayerGraph` and an `InputConvention`. Every pretrained
/// network is one (`ModelZoo` builds them), and the techniques see it through `Network`.
///
/// At construction the graph is folded (batch norms into convolutions, ReLU/ReLU6 fused into
/// them: `LayerGraph.folded`), its shapes are inferred at the convention's input size (so a
/// graph whose parameters do not fit is refused here, naming the node), and its layers are
/// described once.
public final class GraphNetwork: Network {
    public let name: String
    /// The folded graph that runs.
    public let graph: LayerGraph
    public let inputConvention: InputConvention
    public let layers: [LayerInfo]

    public var inputSize: (height: Int, width: Int) { (inputConvention.height, inputConvention.width) }
    public var inputChannels: Int { inputConvention.channels }
    public var classNames: [String] { inputConvention.classNames }

    /// The node computing each visible layer's output.
    private let layerNodes: [String: String]
    /// For each node position, the positions after which its output is no longer read: there
    /// a pass without gradients lets it go, so peak memory is the live set, not every layer.
    private let lastReader: [Int]

    /// Throws `EngineError.shapeMismatch` or `.invalid` naming the node when the graph does not
    /// fit the convention's input ([1, C, height, width]) or a batch norm cannot be folded, and
    /// when the output's batch-free size differs from the class count of a classifier.
    public init(name: String, graph: LayerGraph, inputConvention: InputConvention) throws {
        let folded = try graph.folded()
        let inputShape = [1, inputConvention.channels, inputConvention.height, inputConvention.width]
        do {
            layers = try folded.layerInfos(input: inputShape)
        } catch let error as EngineError {
            throw GraphNetwork.prefixed(error, with: name)
        }
        if !inputConvention.classNames.isEmpty, let logits = layers.last, logits.outputShape != [inputConvention.classNames.count] {
            throw EngineError.shapeMismatch("\(name): \(inputConvention.classNames.count) class names, but the output '\(logits.name)' has shape \(logits.outputShape)")
        }
        self.name = name
        self.graph = folded
        self.inputConvention = inputConvention
        layerNodes = Dictionary(folded.layerOutputs.map { ($0.layer, $0.node) }, uniquingKeysWith: { _, last in last })
        var lastReader = Array(folded.nodes.indices)
        for (position, node) in folded.nodes.enumerated() {
            for input in node.inputs { if let producer = folded.index[input] { lastReader[producer] = position } }
        }
        self.lastReader = lastReader
    }

    public func preprocess(_ image: Image) throws -> Tensor {
        try inputConvention.preprocess(image)
    }

    public func deprocess(_ x: Tensor) throws -> Image {
        try inputConvention.deprocess(x, network: name)
    }

    /// Runs x ([N, C, H, W]) through the nodes needed for `until` (a layer name, or a node
    /// name; nil: the graph output) and for every name in `capture`, in graph order, checking
    /// `Cancellation` between nodes. Throws `EngineError.invalid` listing the layers for an
    /// unknown name or a capture after `until`, and errors of the ops prefixed with the node.
    public func forward(_ x: Tensor, capture: Set<String>, until: String?) throws -> (output: Tensor, activations: [String: Tensor]) {
        try ImageTensorLayout.checkInput(x, channels: inputChannels, network: name)
        let target = try resolve(until ?? graph.output)
        let stopPosition = graph.index[target] ?? graph.nodes.count - 1
        var captureNames: [String: [String]] = [:]
        for layer in capture {
            let node = try resolve(layer)
            guard let position = graph.index[node], position <= stopPosition else {
                throw EngineError.invalid("\(name): layer '\(layer)' comes after '\(until ?? graph.output)', where the pass stops")
            }
            captureNames[node, default: []].append(layer)
        }
        var values: [String: Tensor] = [LayerGraph.inputName: x]
        var activations: [String: Tensor] = [:]
        for position in graph.ancestors(of: [target] + Array(captureNames.keys)) {
            try Cancellation.check()
            let node = graph.nodes[position]
            let inputs = node.inputs.compactMap { values[$0] }
            let output: Tensor
            do {
                output = try node.apply(inputs)
            } catch let error as EngineError {
                throw GraphNetwork.prefixed(LayerGraph.naming(node, inputShapes: inputs.map(\.shape), error), with: name)
            }
            if output.name == nil { output.name = node.layerName }
            values[node.name] = output
            for layer in captureNames[node.name] ?? [] { activations[layer] = output }
            // Autodiff keeps what backward needs through the tensors' parents; the dictionary
            // lets go of values no later node reads, so a plain forward holds only the live set.
            for input in node.inputs {
                if let producer = graph.index[input], lastReader[producer] <= position, producer != stopPosition {
                    values[input] = nil
                }
            }
        }
        guard let output = values[target] else {
            throw EngineError.invalid("\(name): node '\(target)' was not computed")
        }
        return (output, activations)
    }

    /// The node behind a layer name (or a node name itself).
    private func resolve(_ name: String) throws -> String {
        if let node = layerNodes[name] { return node }
        if graph.node(name) != nil { return name }
        throw EngineError.invalid("\(self.name) has no layer '\(name)'; its layers are \(layers.map(\.name).joined(separator: ", "))")
    }

    private static func prefixed(_ error: EngineError, with network: String) -> EngineError {
        switch error {
        case .shapeMismatch(let message): return .shapeMismatch("\(network): \(message)")
        case .invalid(let message): return .invalid("\(network): \(message)")
        case .unsupported(let message): return .unsupported("\(network): \(message)")
        default: return error
        }
    }
}
