/// A network as data: named nodes in topological order, each an op on the outputs of earlier
/// nodes, ending in one output node. The nodes' `layer` labels group them into the layers a
/// user picks by name (a fire module, an MBConv block).
///
/// A graph is checked when made (`init` throws): names unique and never `inputName`, every
/// input an earlier node or the network input, the op's number of inputs, its required
/// parameters present. Shapes are checked by `shapes(input:)`.
public struct LayerGraph {
    /// The name by which nodes refer to the network's input tensor.
    public static let inputName = "input"

    public let nodes: [LayerNode]
    /// The node whose output is the network's output (the logits of a classifier).
    public let output: String
    /// Descriptions of grouped layers for `layers(net)` ("fire 16->64+64"); a layer without
    /// one is described by its nodes' ops.
    public var layerKinds: [String: String]

    /// Position of each node in `nodes`.
    let index: [String: Int]

    /// Throws `EngineError.invalid` naming the first node that breaks a rule above; `output`
    /// defaults to the last node.
    public init(nodes: [LayerNode], output: String? = nil, layerKinds: [String: String] = [:]) throws {
        guard let last = nodes.last else { throw EngineError.invalid("layer graph: no nodes") }
        var index: [String: Int] = [:]
        for (position, node) in nodes.enumerated() {
            guard node.name != LayerGraph.inputName, !node.name.isEmpty else {
                throw EngineError.invalid("layer graph: node \(position) may not be called '\(node.name)'")
            }
            guard index[node.name] == nil else {
                throw EngineError.invalid("layer graph: two nodes are called '\(node.name)'")
            }
            for input in node.inputs where input != LayerGraph.inputName && index[input] == nil {
                let reason = nodes.contains { $0.name == input } ? "comes later (nodes must be in topological order)" : "does not exist"
                throw EngineError.invalid("layer graph: node '\(node.name)' reads '\(input)', which \(reason)")
            }
            if let arity = node.op.arity, node.inputs.count != arity {
                throw EngineError.invalid("layer graph: node '\(node.name)' (\(node.op.kind(kernel: node.kernelSize))) takes \(arity) input(s), has \(node.inputs.count)")
            }
            guard !node.inputs.isEmpty else { throw EngineError.invalid("layer graph: node '\(node.name)' has no inputs") }
            for key in node.op.parameterNames.required where node.parameters[key] == nil {
                throw EngineError.invalid("layer graph: node '\(node.name)' (\(node.op.kind(kernel: node.kernelSize))) lacks its parameter '\(key)'")
            }
            index[node.name] = position
        }
        let output = output ?? last.name
        guard index[output] != nil else { throw EngineError.invalid("layer graph: the output '\(output)' is not a node") }
        self.nodes = nodes
        self.output = output
        self.layerKinds = layerKinds
        self.index = index
    }

    /// The node called `name`, if any.
    public func node(_ name: String) -> LayerNode? {
        index[name].map { nodes[$0] }
    }

    /// The graph output for `x`, every node run in order with autodiff as the tensor ops record
    /// it; for graphs without an image convention (`GraphNetwork.forward` is the executor of
    /// networks). Errors of the ops come back naming the node.
    public func evaluate(_ x: Tensor) throws -> Tensor {
        var values = [LayerGraph.inputName: x]
        for node in nodes {
            try Cancellation.check()
            let inputs = node.inputs.compactMap { values[$0] }
            do {
                values[node.name] = try node.apply(inputs)
            } catch let error as EngineError {
                throw LayerGraph.naming(node, inputShapes: inputs.map(\.shape), error)
            }
        }
        guard let result = values[output] else { throw EngineError.invalid("layer graph: the output '\(output)' was not computed") }
        return result
    }

    /// For every node, the nodes that read its output.
    var consumers: [String: [String]] {
        var result: [String: [String]] = [:]
        for node in nodes { for input in node.inputs { result[input, default: []].append(node.name) } }
        return result
    }

    /// The user-visible layers in graph order: each label with the node giving its output (the
    /// label's last node). Nodes after the graph's output are not layers.
    public var layerOutputs: [(layer: String, node: String)] {
        let outputPosition = index[output] ?? nodes.count - 1
        var last: [String: Int] = [:]
        for (position, node) in nodes.enumerated() where position <= outputPosition { last[node.layerName] = position }
        return last.sorted { $0.value < $1.value }.map { ($0.key, nodes[$0.value].name) }
    }

    /// Positions of the nodes needed to compute `targets` (they and their ancestors), ascending.
    func ancestors(of targets: [String]) -> [Int] {
        var needed = Set<Int>()
        var stack = targets.compactMap { index[$0] }
        while let position = stack.popLast() {
            guard needed.insert(position).inserted else { continue }
            stack.append(contentsOf: nodes[position].inputs.compactMap { index[$0] })
        }
        return needed.sorted()
    }

    /// One `LayerInfo` per user-visible layer (`layerOutputs`), for an input of shape `input`
    /// ([1, C, H, W]). The receptive field, jump and start are along the width axis (the same
    /// as the height's for square inputs and kernels). Throws what `shapes(input:)` throws.
    public func layerInfos(input: [Int]) throws -> [LayerInfo] {
        let shapes = try shapes(input: input)
        let fields = try receptiveFields(shapes: shapes)
        let outputPosition = index[output] ?? nodes.count - 1
        var members: [String: [LayerNode]] = [:]
        for node in nodes.prefix(outputPosition + 1) { members[node.layerName, default: []].append(node) }
        return layerOutputs.map { layer, node in
            let group = members[layer] ?? []
            let field = fields[node]?.width ?? ReceptiveField(inputSize: 1)
            return LayerInfo(name: layer, kind: layerKinds[layer] ?? LayerGraph.describe(group),
                             outputShape: Array((shapes[node] ?? []).dropFirst()), receptiveField: field.field,
                             jump: field.jump, start: field.start,
                             parameterCount: group.reduce(0) { $0 + $1.parameterCount })
        }
    }

    /// "linear + relu" for a group of nodes: their ops in order, leaving out the ones that
    /// only move values (flatten, dropout) unless there is nothing else.
    static func describe(_ group: [LayerNode]) -> String {
        let computing = group.filter { !$0.op.isPassThrough }
        return (computing.isEmpty ? group : computing).map { $0.op.kind(kernel: $0.kernelSize) }.joined(separator: " + ")
    }
}
