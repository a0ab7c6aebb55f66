/// The user-visible layers of a graph with their geometry: output shape, receptive field,
/// jump and start along the graph, and parameter count.
extension LayerGraph {
    /// Receptive fields of every node (and of `inputName`) along the height and width axes,
    /// for the node shapes `shapes` (from `shapes(input:)`).
    func receptiveFields(shapes: [String: [Int]]) throws -> [String: (height: ReceptiveField, width: ReceptiveField)] {
        guard let input = shapes[LayerGraph.inputName], input.count == 4 else {
            throw EngineError.shapeMismatch("receptive fields need an [N, C, H, W] input shape")
        }
        var fields = [LayerGraph.inputName: (height: ReceptiveField(inputSize: input[2]), width: ReceptiveField(inputSize: input[3]))]
        for node in nodes {
            guard let output = shapes[node.name] else { continue }
            let inputs = node.inputs.compactMap { fields[$0] }
            guard var (height, width) = inputs.first else { continue }
            let inputShape = node.inputs.first.flatMap { shapes[$0] } ?? []
            let spatialOutput = output.count == 4
            switch node.op {
            case .convolution(let a) where spatialOutput:
                let weight = node.parameters["weight"]?.shape ?? []
                let g = try ConvolutionGeometry(input: inputShape, weight: weight, stride: a.stride, padding: a.padding,
                                                dilation: a.dilation, groups: a.groups)
                height.window(kernel: g.kernelHeight, stride: a.stride, paddingBefore: g.padTop, dilation: a.dilation,
                              outputSize: g.outHeight)
                width.window(kernel: g.kernelWidth, stride: a.stride, paddingBefore: g.padLeft, dilation: a.dilation,
                             outputSize: g.outWidth)
            case .maxPool(let p) where spatialOutput, .averagePool(let p) where spatialOutput:
                height.window(kernel: p.kernel, stride: p.stride, paddingBefore: p.padding, outputSize: output[2])
                width.window(kernel: p.kernel, stride: p.stride, paddingBefore: p.padding, outputSize: output[3])
            case .add, .mul, .concat:
                let size = spatialOutput ? (output[2], output[3]) : (1, 1)
                height = ReceptiveField.merged(inputs.map(\.height), outputSize: size.0) ?? height
                width = ReceptiveField.merged(inputs.map(\.width), outputSize: size.1) ?? width
            case .globalAveragePool, .linear, .flatten, .reshape:
                // Each output unit depends on (or, after flattening, stands for) the whole plane.
                height.global()
                width.global()
            default:
                break
            }
            fields[node.name] = (height, width)
        }
        return fields
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
