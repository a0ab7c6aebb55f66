/// Receptive field bookkeeping along one spatial axis.
///
/// For a window with kernel k, stride s, dilation d and padding p before the first input unit,
/// applied to units with receptive field r, jump j and first centre c:
///   r' = r + (k - 1) * d * j,   j' = j * s,   c' = c + ((k - 1) * d / 2 - p) * j.
/// (Araujo et al., "Computing receptive fields of convolutional neural networks", Distill 2019.)
/// The output size comes from shape inference, so padding after the last unit (asymmetric,
/// SAME, ceil mode) needs no formula here.
struct ReceptiveField: Equatable {
    /// Units along the axis.
    var size: Int
    var field = 1
    var jump = 1
    var start = 0.0

    init(inputSize: Int) {
        size = inputSize
    }

    /// After a convolution or pooling window with `paddingBefore` units of padding before the
    /// first input, producing `outputSize` units.
    mutating func window(kernel: Int, stride: Int, paddingBefore: Int, dilation: Int = 1, outputSize: Int) {
        let effective = (kernel - 1) * dilation + 1
        start += (Double(effective - 1) / 2 - Double(paddingBefore)) * Double(jump)
        field += (effective - 1) * jump
        jump *= stride
        size = outputSize
    }

    /// After an operation that sees the whole axis (global pooling, a fully connected layer).
    mutating func global() {
        start += Double(size - 1) / 2 * Double(jump)
        field += (size - 1) * jump
        size = 1
    }

    /// Where branches meet (add, mul, concat), the field of the output is that of the branch
    /// with the largest field: a unit sees everything any of its inputs sees, and the largest
    /// field contains the others when branches start from a common tensor. Inputs broadcast
    /// from one unit (a squeeze-and-excitation gate) are left out when a full-size input
    /// exists: they scale a unit without moving where it looks, and counting their global
    /// field would make every gated layer look at the whole image.
    static func merged(_ fields: [ReceptiveField], outputSize: Int) -> ReceptiveField? {
        let located = fields.filter { $0.size == outputSize }
        let candidates = located.isEmpty ? fields : located
        guard var widest = candidates.max(by: { $0.field < $1.field }) else { return nil }
        widest.size = outputSize
        return widest
    }
}

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
                height.window(kernel: p.kernel, stride: p.stride, paddingBefore: p.sides.top, outputSize: output[2])
                width.window(kernel: p.kernel, stride: p.stride, paddingBefore: p.sides.left, outputSize: output[3])
            case .convTranspose(let a) where spatialOutput:
                // Output units are denser than input units by the stride; a jump below one unit
                // is not represented, so the field is grown by the input units one output sees.
                let (kh, kw) = node.kernelSize ?? (1, 1)
                for (axis, k) in [(2, kh), (3, kw)] {
                    let reach = ((k - 1) * a.dilation + a.stride - 1) / a.stride
                    if axis == 2 { height.field += reach * height.jump; height.size = output[2] }
                    else { width.field += reach * width.jump; width.size = output[3] }
                }
            case .add, .mul, .sub, .div, .concat, .sum:
                let size = spatialOutput ? (output[2], output[3]) : (1, 1)
                height = ReceptiveField.merged(inputs.map(\.height), outputSize: size.0) ?? height
                width = ReceptiveField.merged(inputs.map(\.width), outputSize: size.1) ?? width
            case .transpose(let permutation) where permutation.count == 4 && permutation[2] == 2 && permutation[3] == 3:
                break // height and width stay where they were
            case let op where op.isStyleNetworkOp && spatialOutput:
                height.styleNetworkOp(op, axis: 2, outputSize: output[2])
                width.styleNetworkOp(op, axis: 3, outputSize: output[3])
            case .reduce(let a):
                // Without kept dimensions the output is no longer a plane; a reduced axis is seen whole.
                if a.axes.contains(2) { height.global() }
                if a.axes.contains(3) { width.global() }
            case .globalAveragePool, .globalMaxPool, .linear, .matMul, .flatten, .reshape, .transpose:
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
}
