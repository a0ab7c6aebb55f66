/// The ops of the classic ONNX exports (AlexNet, GoogLeNet, VGG, decoders): transposed
/// convolution, PReLU, log softmax, global max pooling, LRN, matrix products of any rank and
/// variadic sums. Each runs on `Tensor` ops with their backward passes.
extension LayerNode {
    func applyClassic(_ inputs: [Tensor]) throws -> Tensor {
        func only() throws -> Tensor {
            guard inputs.count == 1, let x = inputs.first else {
                throw EngineError.invalid("\(op.kind(kernel: kernelSize)) takes one input, got \(inputs.count)")
            }
            return x
        }
        func parameter(_ key: String) throws -> Tensor {
            guard let tensor = parameters[key] else { throw EngineError.invalid("missing parameter '\(key)'") }
            return tensor
        }
        switch op {
        case .convTranspose(let a):
            let x = try only(), weight = try parameter("weight")
            guard x.rank == 4, weight.rank == 4 else {
                throw EngineError.shapeMismatch("conv transpose needs an [N, C, H, W] input and a 4-D weight, got \(x.shape) and \(weight.shape)")
            }
            let pads = try a.pads(height: x.shape[2], width: x.shape[3], kernel: (weight.shape[2], weight.shape[3]))
            return try x.convTranspose2d(weight: weight, bias: parameters["bias"], stride: a.stride, pads: pads,
                                         outputPadding: (a.outputPadding[safe: 0] ?? 0, a.outputPadding[safe: 1] ?? 0),
                                         dilation: a.dilation, groups: a.groups)
        case .prelu: return try only().prelu(slope: try parameter("slope"))
        case .logSoftmax(let axis): return try only().logSoftmax(axis: axis)
        case .globalMaxPool: return try only().globalMaxPool()
        case .localResponseNormalization(let size, let alpha, let beta, let bias):
            return try only().localResponseNormalization(size: size, alpha: alpha, beta: beta, bias: bias)
        case .matMul(let constantFirst):
            return try LayerNode.matMul(try only(), try parameter("weight"), constantFirst: constantFirst)
        case .coercedSoftmax(let axis, let log):
            let x = try only()
            guard axis >= 0, axis < x.rank else { throw EngineError.invalid("axis \(axis) is outside rank \(x.rank)") }
            let outer = x.shape[..<axis].reduce(1, *), rest = x.shape[axis...].reduce(1, *)
            let flat = try x.reshape([outer, rest])
            return try (log ? flat.logSoftmax(axis: 1) : flat.softmax(axis: 1)).reshape(x.shape)
        case .sum:
            guard var total = inputs.first else { throw EngineError.invalid("sum takes at least one input") }
            for x in inputs.dropFirst() { total = try total + x }
            return total
        default:
            throw EngineError.invalid("\(op.kind(kernel: kernelSize)) is not a classic op")
        }
    }

    /// x · W (W [K, M]) over the last axis of x [..., K], or W · x (W [M, K]) over the
    /// second-to-last axis of x [..., K, P]: ONNX MatMul with a constant matrix, whose other
    /// side keeps any leading (batch) axes. Runs as reshape, linear layer and transposes.
    static func matMul(_ x: Tensor, _ weight: Tensor, constantFirst: Bool) throws -> Tensor {
        guard weight.rank == 2, x.rank >= 2 else {
            throw EngineError.shapeMismatch("matmul needs an input of rank ≥ 2 and a matrix, got \(x.shape) and \(weight.shape)")
        }
        let rank = x.rank
        if constantFirst {
            // W · x = (xᵀ · Wᵀ)ᵀ over the last two axes.
            var swap = Array(0..<rank)
            swap.swapAt(rank - 1, rank - 2)
            let product = try matMul(try x.transposed(swap), try weight.transpose2D(), constantFirst: false)
            return try product.transposed(swap)
        }
        let k = x.shape[rank - 1]
        guard weight.shape[0] == k else {
            throw EngineError.shapeMismatch("matmul of \(x.shape) by \(weight.shape): inner sizes \(k) and \(weight.shape[0]) differ")
        }
        let rows = x.count / Swift.max(k, 1)
        let product = try x.reshape([rows, k]).linear(weight: try weight.transpose2D(), bias: nil)
        return try product.reshape(Array(x.shape.dropLast()) + [weight.shape[1]])
    }
}
