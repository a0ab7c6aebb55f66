/// Shape inference for the classic ONNX ops (`LayerNode+Classic`).
extension LayerGraph {
    static func classicOutputShape(of node: LayerNode, inputs: [[Int]]) throws -> [Int] {
        guard let x = inputs.first else { throw EngineError.invalid("no input") }
        switch node.op {
        case .convTranspose(let a):
            let weight = node.parameters["weight"]?.shape ?? []
            guard x.count == 4, weight.count == 4 else {
                throw EngineError.shapeMismatch("needs an [N, C, H, W] input and a 4-D weight, got weight \(weight)")
            }
            let pads = try a.pads(height: x[2], width: x[3], kernel: (weight[2], weight[3]))
            let g = try ConvolutionGeometry(transposedInput: x, weight: weight, stride: a.stride, pads: pads,
                                            outputPadding: (a.outputPadding[safe: 0] ?? 0, a.outputPadding[safe: 1] ?? 0),
                                            dilation: a.dilation, groups: a.groups)
            if let bias = node.parameters["bias"], bias.shape != [g.inChannels] {
                throw EngineError.shapeMismatch("bias has shape \(bias.shape), expected [\(g.inChannels)]")
            }
            return [g.batch, g.inChannels, g.height, g.width]
        case .prelu:
            let slope = node.parameters["slope"]?.shape ?? []
            let result = try Broadcast(x, slope, operation: "prelu").shape
            guard result == x else { throw EngineError.shapeMismatch("slope of shape \(slope) would broadcast the input \(x) to \(result)") }
            return x
        case .coercedSoftmax(let axis, _):
            guard axis >= 0, axis < x.count else { throw EngineError.invalid("axis \(axis) is outside rank \(x.count)") }
            return x
        case .logSoftmax(let axis):
            guard axis >= -x.count, axis < x.count else { throw EngineError.invalid("axis \(axis) is outside rank \(x.count)") }
            return x
        case .globalMaxPool:
            guard x.count == 4 else { throw EngineError.shapeMismatch("needs an [N, C, H, W] input") }
            return [x[0], x[1], 1, 1]
        case .localResponseNormalization(let size, _, _, _):
            guard x.count >= 2, size >= 1 else { throw EngineError.shapeMismatch("needs an [N, C, ...] input and a size of at least 1") }
            return x
        case .matMul(let constantFirst):
            let weight = node.parameters["weight"]?.shape ?? []
            guard x.count >= 2, weight.count == 2 else { throw EngineError.shapeMismatch("needs an input of rank ≥ 2 and a matrix weight, got weight \(weight)") }
            if constantFirst {
                guard weight[1] == x[x.count - 2] else { throw EngineError.shapeMismatch("weight \(weight) · input: inner sizes \(weight[1]) and \(x[x.count - 2]) differ") }
                return Array(x.dropLast(2)) + [weight[0], x[x.count - 1]]
            }
            guard weight[0] == x[x.count - 1] else { throw EngineError.shapeMismatch("input · weight \(weight): inner sizes \(x[x.count - 1]) and \(weight[0]) differ") }
            return Array(x.dropLast()) + [weight[1]]
        case .sum:
            var result = x
            for shape in inputs.dropFirst() { result = try Broadcast(result, shape, operation: "sum").shape }
            return result
        default:
            throw EngineError.invalid("\(node.op.kind(kernel: nil)) is not a classic op")
        }
    }
}
