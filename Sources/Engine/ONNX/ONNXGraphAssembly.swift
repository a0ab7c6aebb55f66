/// Builds the `LayerGraph` of a folded ONNX model: one node per ONNX node (named after it,
/// sanitized and made unique), values wired by name, and activations and batch norms grouped
/// with the convolution or linear layer they follow.
struct ONNXGraphAssembly {
    let folded: ONNXFoldedModel
    /// The ONNX input the layer graph's input stands for.
    let inputName: String
    /// Outputs of absorbed NHWC -> NCHW transposes, which also stand for the layer graph's input.
    let absorbed: Set<String>
    /// Layer names by ONNX node name.
    let layerNames: [String: String]
    /// The layer of every ONNX node and the layer descriptions, as a file ConvLens saved
    /// states them (`ONNXExportMetadata`); they replace the grouping guessed here.
    let savedLayers: (layers: [String: String], kinds: [String: String])?

    func graph() throws -> LayerGraph {
        let model = folded.model
        let mapping = ONNXNodeMapping(constants: model.initializers, shapes: folded.shapes, opsetVersion: model.opsetVersion)
        // ONNX value -> the layer-graph node computing it.
        var producer: [String: String] = [inputName: LayerGraph.inputName]
        for value in absorbed { producer[value] = LayerGraph.inputName }
        var used: Set<String> = [LayerGraph.inputName]
        var nodes: [LayerNode] = []
        var onnxNames: [String] = []
        for node in model.nodes where !(!absorbed.isEmpty && node.outputs.allSatisfy { absorbed.contains($0) || $0.isEmpty }) {
            try Cancellation.check()
            let mapped = try mapping.map(node)
            let inputs = try mapped.inputs.map { value -> String in
                guard let source = producer[value] else {
                    throw EngineError.unsupported("\(node.label) reads '\(value)', which is neither the image input nor computed by a mapped node")
                }
                return source
            }
            // A file ConvLens saved names its nodes as the layer graph did ("fire2/squeeze1x1/relu"); keep them.
            var name = savedLayers == nil ? ONNXImporter.sanitized(node.name) : node.name
            if savedLayers == nil, name.isEmpty || name.first?.isNumber == true { name = "\(node.opType.lowercased())_\(name)" }
            if name.isEmpty { name = node.opType.lowercased() }
            if used.contains(name) {
                var suffix = 2
                while used.contains("\(name)_\(suffix)") { suffix += 1 }
                name = "\(name)_\(suffix)"
            }
            used.insert(name)
            if let output = node.outputs.first { producer[output] = name }
            nodes.append(LayerNode(name: name, op: mapped.op, inputs: inputs, parameters: mapped.parameters))
            onnxNames.append(node.name)
        }
        guard let target = model.outputs.first?.name, let output = producer[target], output != LayerGraph.inputName else {
            throw EngineError.unsupported("the graph output '\(model.outputs.first?.name ?? "")' is the input or a constant; there is no layer to run")
        }
        group(&nodes, onnxNames: onnxNames, output: output)
        if let savedLayers {
            for index in nodes.indices {
                guard let layer = savedLayers.layers[onnxNames[index]] else { continue }
                nodes[index].layer = layer == nodes[index].name ? nil : layer
            }
        }
        return try LayerGraph(nodes: nodes, output: output, layerKinds: savedLayers?.kinds ?? [:])
    }

    /// Puts a batch norm, ReLU or ReLU6 into the layer of the convolution or linear node (or
    /// group) it is the only reader of, and applies `layerNames`.
    private func group(_ nodes: inout [LayerNode], onnxNames: [String], output: String) {
        var readers: [String: Int] = [:]
        for node in nodes { for input in node.inputs { readers[input, default: 0] += 1 } }
        var position: [String: Int] = [:]
        for (index, node) in nodes.enumerated() { position[node.name] = index }
        // The layer label of each node that heads a group: its own (possibly renamed) name.
        var label: [Int: String] = [:]
        for (index, name) in onnxNames.enumerated() { label[index] = layerNames[name] ?? nodes[index].name }
        for index in nodes.indices {
            let node = nodes[index]
            let joins: Bool
            switch node.op {
            case .batchNorm, .relu, .relu6: joins = true
            default: joins = false
            }
            guard joins, node.inputs.count == 1, let input = node.inputs.first, input != output,
                  let at = position[input], readers[input] == 1 else { continue }
            let head = nodes[at]
            let headComputes: Bool
            switch head.op {
            case .convolution, .linear: headComputes = true
            case .batchNorm: headComputes = head.layer != nil
            default: headComputes = false
            }
            guard headComputes else { continue }
            let layer = head.layer ?? label[at] ?? head.name
            nodes[at].layer = layer
            nodes[index].layer = layer
        }
        // A renamed node that heads no group still takes its new name as its layer.
        for index in nodes.indices where nodes[index].layer == nil {
            if let renamed = layerNames[onnxNames[index]], renamed != nodes[index].name { nodes[index].layer = renamed }
        }
    }
}
