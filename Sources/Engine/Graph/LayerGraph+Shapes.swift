/// Shape inference: the output shape of every node for an input shape, without running the
/// graph, so a graph whose parameters do not fit is refused when it is built rather than in
/// the middle of a technique.
extension LayerGraph {
    /// Output shape (with the batch dimension) of every node, and of `inputName`, for an input
    /// of shape `input` ([N, C, H, W]). Throws `EngineError.shapeMismatch` naming the first
    /// node whose inputs or parameters do not fit, with the shapes involved.
    public func shapes(input: [Int]) throws -> [String: [Int]] {
        var shapes = [LayerGraph.inputName: input]
        for node in nodes {
            let inputShapes = node.inputs.compactMap { shapes[$0] }
            do {
                shapes[node.name] = try LayerGraph.outputShape(of: node, inputs: inputShapes)
            } catch let error as EngineError {
                throw LayerGraph.naming(node, inputShapes: inputShapes, error)
            }
        }
        return shapes
    }

    /// `error` with the node's name, op and input shapes in front (interruptions pass unchanged).
    static func naming(_ node: LayerNode, inputShapes: [[Int]], _ error: EngineError) -> EngineError {
        let prefix = "node '\(node.name)' (\(node.op.kind(kernel: node.kernelSize))) on \(inputShapes.map { "\($0)" }.joined(separator: ", "))"
        switch error {
        case .shapeMismatch(let message): return .shapeMismatch("\(prefix): \(message)")
        case .invalid(let message): return .invalid("\(prefix): \(message)")
        case .unsupported(let message): return .unsupported("\(prefix): \(message)")
        default: return error
        }
    }

    private static func outputShape(of node: LayerNode, inputs: [[Int]]) throws -> [Int] {
        guard let x = inputs.first else { throw EngineError.invalid("no input") }
        func spatial() throws {
            guard x.count == 4 else { throw EngineError.shapeMismatch("needs an [N, C, H, W] input") }
        }
        func vector(_ key: String, length: Int) throws {
            if let tensor = node.parameters[key], tensor.shape != [length] {
                throw EngineError.shapeMismatch("\(key) has shape \(tensor.shape), expected [\(length)]")
            }
        }
        switch node.op {
        case .convolution(let a):
            let weight = node.parameters["weight"]?.shape ?? []
            let g = try ConvolutionGeometry(input: x, weight: weight, stride: a.stride, padding: a.padding,
                                            dilation: a.dilation, groups: a.groups)
            try vector("bias", length: g.outChannels)
            return [g.batch, g.outChannels, g.outHeight, g.outWidth]
        case .batchNorm:
            guard x.count >= 2 else { throw EngineError.shapeMismatch("needs a channel axis") }
            for key in ["gamma", "beta", "mean", "variance"] { try vector(key, length: x[1]) }
            return x
        case .maxPool(let p), .averagePool(let p):
            try spatial()
            let sides = p.sides
            guard p.stride >= 1, [sides.top, sides.left, sides.bottom, sides.right].allSatisfy({ $0 >= 0 && $0 <= p.kernel / 2 }) else {
                throw EngineError.invalid("pool stride must be at least 1 and padding at most half the kernel")
            }
            let g = try ConvolutionGeometry(batch: x[0], channels: x[1], height: x[2], width: x[3], outChannels: x[1],
                                            kernelHeight: p.kernel, kernelWidth: p.kernel, stride: p.stride, dilation: 1,
                                            groups: x[1], pads: sides,
                                            ceilMode: p.ceilMode, operation: "pool")
            return [g.batch, g.outChannels, g.outHeight, g.outWidth]
        case .globalAveragePool:
            try spatial()
            return [x[0], x[1], 1, 1]
        case .linear:
            let weight = node.parameters["weight"]?.shape ?? []
            guard x.count == 2, weight.count == 2, weight[1] == x[1] else {
                throw EngineError.shapeMismatch("needs a [N, \(weight.count == 2 ? weight[1] : 0)] input for weight \(weight)")
            }
            try vector("bias", length: weight[0])
            return [x[0], weight[0]]
        case .add, .mul, .sub, .div:
            return try Broadcast(x, inputs.count > 1 ? inputs[1] : x, operation: node.op.kind(kernel: nil)).shape
        case .constantArithmetic:
            let constant = node.parameters["constant"]?.shape ?? []
            let result = try Broadcast(x, constant, operation: node.op.kind(kernel: nil)).shape
            // The constant may not grow the batched input: the output must be one value per input value.
            guard result == x else {
                throw EngineError.shapeMismatch("constant of shape \(constant) would broadcast the input \(x) to \(result)")
            }
            return result
        case .transpose(let permutation):
            guard permutation.count == x.count, Set(permutation) == Set(0..<x.count) else {
                throw EngineError.invalid("\(permutation) is not a permutation of the \(x.count) axes")
            }
            return permutation.map { x[$0] }
        case .concat(let axis):
            let resolved = axis < 0 ? axis + x.count : axis
            guard resolved >= 0, resolved < x.count else { throw EngineError.invalid("axis \(axis) is outside rank \(x.count)") }
            var result = x
            for shape in inputs.dropFirst() {
                var a = shape, b = x
                guard a.count == b.count else { throw EngineError.shapeMismatch("inputs differ in rank") }
                a[resolved] = 0
                b[resolved] = 0
                guard a == b else { throw EngineError.shapeMismatch("inputs differ outside axis \(axis)") }
                result[resolved] += shape[resolved]
            }
            return result
        case .flatten:
            return [x.first ?? 1, x.dropFirst().reduce(1, *)]
        case .reshape(let shape):
            let count = x.dropFirst().reduce(1, *)
            let known = shape.filter { $0 != -1 }.reduce(1, *)
            let inferred = shape.filter { $0 == -1 }.count
            guard inferred <= 1, shape.allSatisfy({ $0 >= -1 }), known > 0,
                  inferred == 1 ? count % known == 0 : known == count else {
                throw EngineError.shapeMismatch("cannot reshape \(Array(x.dropFirst())) to \(shape)")
            }
            return [x.first ?? 1] + shape.map { $0 == -1 ? count / known : $0 }
        case .softmax(let axis):
            guard axis >= -x.count, axis < x.count else { throw EngineError.invalid("axis \(axis) is outside rank \(x.count)") }
            return x
        case .relu, .relu6, .leakyReLU, .sigmoid, .tanh, .hardSwish, .hardSigmoid, .dropout, .identity:
            return x
        case .convTranspose, .prelu, .logSoftmax, .globalMaxPool, .localResponseNormalization, .matMul, .sum, .coercedSoftmax:
            return try classicOutputShape(of: node, inputs: inputs)
        case .instanceNorm, .pad, .resize, .power, .sqrt, .reduce:
            return try styleNetworkOutputShape(of: node, input: x)
        }
    }
}
