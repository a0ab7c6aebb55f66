/// Maps one node of a folded ONNX model to the `LayerOp` and parameters of a layer-graph node,
/// following each operator's definition at https://onnx.ai/onnx/operators/ (attribute
/// defaults included). Every refusal names the node and says what is not supported.
struct ONNXNodeMapping {
    /// Constant tensors of the folded model (initializers and folded values).
    let constants: [String: ONNXTensor]
    /// Static shapes of the folded model's values, batch 1.
    let shapes: [String: [Int]]
    let opsetVersion: Int

    /// The mapped op, the ONNX values it computes on (in the op's argument order) and its parameters.
    struct Mapped {
        var op: LayerOp
        var inputs: [String]
        var parameters: [String: Tensor] = [:]
    }

    /// The ONNX operators mapped to layers, in the order of `ONNXOperators.computed`.
    static let mapped: [String] = [
        "Conv", "Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softmax",
        "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization", "Gemm", "MatMul",
        "Add", "Sub", "Mul", "Div", "Concat", "Flatten", "Reshape", "Transpose", "Dropout", "Identity",
        "InstanceNormalization", "Pad", "Resize", "Upsample", "Pow", "Sqrt", "ReduceMean", "ReduceSum",
    ] + classicMapped

    func map(_ node: ONNXNode) throws -> Mapped {
        func x() throws -> String { try computed(node, 0) }
        switch node.opType {
        case "Conv": return try convolution(node)
        case "Relu": return Mapped(op: .relu, inputs: [try x()])
        case "LeakyRelu": return Mapped(op: .leakyReLU(slope: try node.float("alpha", default: 0.01)), inputs: [try x()])
        case "Sigmoid": return Mapped(op: .sigmoid, inputs: [try x()])
        case "Tanh": return Mapped(op: .tanh, inputs: [try x()])
        case "HardSwish": return Mapped(op: .hardSwish, inputs: [try x()])
        case "HardSigmoid":
            return Mapped(op: .hardSigmoid(alpha: try node.float("alpha", default: 0.2), beta: try node.float("beta", default: 0.5)),
                          inputs: [try x()])
        case "Clip": return try clip(node)
        case "MaxPool", "AveragePool": return try pool(node)
        case "GlobalAveragePool": return Mapped(op: .globalAveragePool, inputs: [try x()])
        case "BatchNormalization":
            guard try node.int("training_mode", default: 0) == 0 else { throw refusal(node, "training_mode 1 (batch statistics); only inference batch norm is supported") }
            let channels = ["gamma", "beta", "mean", "variance"]
            var parameters: [String: Tensor] = [:]
            for (index, key) in channels.enumerated() { parameters[key] = try parameter(node, index + 1) }
            return Mapped(op: .batchNorm(epsilon: try node.float("epsilon", default: 1e-5)), inputs: [try x()], parameters: parameters)
        case "Gemm": return try gemm(node)
        case "MatMul": return try matMul(node)
        case "Add", "Sub", "Mul", "Div": return try arithmetic(node)
        case "Concat":
            guard let axis = try node.int("axis") else { throw refusal(node, "no 'axis' attribute") }
            let inputs = try node.inputs.indices.map { try computed(node, $0) }
            return Mapped(op: .concat(axis: try normalized(axis, node, rankOf: inputs[0])), inputs: inputs)
        case "Flatten":
            let axis = try node.int("axis", default: 1)
            guard axis == 1 else { throw refusal(node, "Flatten with axis \(axis); only axis 1 (keep the batch) is mapped") }
            return Mapped(op: .flatten, inputs: [try x()])
        case "Reshape": return try reshape(node)
        case "Transpose":
            let input = try x()
            let rank = shapes[input]?.count ?? 0
            let permutation = try node.ints("perm") ?? Array((0..<rank).reversed())
            guard permutation.first == 0 else { throw refusal(node, "Transpose \(permutation) moves the batch axis; only permutations keeping axis 0 are mapped") }
            return Mapped(op: .transpose(permutation: permutation), inputs: [input])
        case "Softmax":
            let input = try x()
            let rank = shapes[input]?.count ?? 2
            let axis = try normalized(try node.int("axis", default: opsetVersion >= 13 ? -1 : 1), node, rankOf: input)
            return Mapped(op: softmax(axis: axis, rank: rank, log: false), inputs: [input])
        case "Dropout":
            // A named mask output is fine as long as nothing reads it: the graph assembly refuses a
            // node reading an output no layer computes, naming it.
            let ratio = try node.input(1).flatMap { constants[$0]?.floats.first } ?? node.float("ratio", default: 0.5)
            return Mapped(op: .dropout(ratio: ratio), inputs: [try x()])
        case "Identity": return Mapped(op: .identity, inputs: [try x()])
        case "InstanceNormalization": return try instanceNormalization(node)
        case "Pad": return try pad(node)
        case "Resize", "Upsample": return try resize(node)
        case "Pow": return try power(node)
        case "Sqrt": return Mapped(op: .sqrt, inputs: [try x()])
        case "ReduceMean", "ReduceSum": return try reduction(node)
        default:
            if let mapped = try mapClassic(node) { return mapped }
            throw EngineError.unsupported("\(node.label) is not mapped to a layer")
        }
    }

    // MARK: - Operators with geometry

    private func convolution(_ node: ONNXNode) throws -> Mapped {
        let input = try computed(node, 0)
        let weight = try parameter(node, 1)
        guard weight.rank == 4 else { throw refusal(node, "a \(weight.rank - 2)-D convolution (weight \(weight.shape)); only 2-D convolutions are mapped") }
        if let kernel = try node.ints("kernel_shape"), kernel != Array(weight.shape[2...]) {
            throw EngineError.shapeMismatch("\(node.label): kernel_shape \(kernel) differs from the weight's \(Array(weight.shape[2...]))")
        }
        let stride = try square(node, "strides")
        let dilation = try square(node, "dilations")
        var parameters = ["weight": weight]
        if node.input(2) != nil { parameters["bias"] = try parameter(node, 2) }
        let attributes = ConvolutionAttributes(stride: stride, padding: try padding(node, input: input, kernel: (weight.shape[2], weight.shape[3]),
                                                                                 stride: stride, dilation: dilation),
                                               dilation: dilation, groups: try node.int("group", default: 1))
        return Mapped(op: .convolution(attributes), inputs: [input], parameters: parameters)
    }

    /// Conv padding from `pads` ([top, left, bottom, right]: ONNX lists all begins, then all ends)
    /// or `auto_pad`. SAME_UPPER is the engine's `.same` at every size; SAME_LOWER puts the odd
    /// row first, so it is resolved to explicit pads for the size the model was folded at.
    private func padding(_ node: ONNXNode, input: String, kernel: (Int, Int), stride: Int, dilation: Int) throws -> Padding {
        switch try node.string("auto_pad") ?? "NOTSET" {
        case "NOTSET":
            let pads = try node.ints("pads") ?? [0, 0, 0, 0]
            guard pads.count == 4, pads.allSatisfy({ $0 >= 0 }) else { throw refusal(node, "pads \(pads); four non-negative values are needed") }
            return .explicit(top: pads[0], left: pads[1], bottom: pads[2], right: pads[3])
        case "VALID": return .symmetric(0)
        case "SAME_UPPER": return .same
        case "SAME_LOWER":
            guard let shape = shapes[input], shape.count == 4 else { throw refusal(node, "SAME_LOWER padding of an input of unknown size") }
            let resolved = Padding.same.resolve(height: shape[2], width: shape[3], kernelHeight: kernel.0, kernelWidth: kernel.1,
                                                stride: stride, dilation: dilation)
            return .explicit(top: resolved.bottom, left: resolved.right, bottom: resolved.top, right: resolved.left)
        case let other: throw refusal(node, "auto_pad '\(other)'")
        }
    }

    private func pool(_ node: ONNXNode) throws -> Mapped {
        let input = try computed(node, 0)
        guard let kernel = try node.ints("kernel_shape"), kernel.count == 2, kernel[0] == kernel[1] else {
            throw refusal(node, "kernel_shape \((try? node.ints("kernel_shape")).flatMap { $0 } ?? []); only square 2-D windows are mapped")
        }
        let stride = try square(node, "strides")
        guard try square(node, "dilations") == 1 else { throw refusal(node, "dilated pooling") }
        let autoPad = try node.string("auto_pad") ?? "NOTSET"
        guard autoPad == "NOTSET" || autoPad == "VALID" else { throw refusal(node, "pooling with auto_pad '\(autoPad)'") }
        let pads = autoPad == "VALID" ? [0, 0, 0, 0] : try node.ints("pads") ?? [0, 0, 0, 0]
        guard pads.count == 4, pads.allSatisfy({ $0 >= 0 && $0 <= kernel[0] / 2 }) else {
            throw refusal(node, "pads \(pads); four values, each at most half the kernel (\(kernel[0] / 2)), are mapped")
        }
        let ceilMode = try node.int("ceil_mode", default: 0) == 1
        let symmetric = Set(pads).count == 1
        let attributes = PoolAttributes(kernel: kernel[0], stride: stride, padding: symmetric ? pads[0] : 0, ceilMode: ceilMode,
                                        pads: symmetric ? nil : pads)
        if node.opType == "MaxPool" {
            guard node.outputs.count < 2 || node.outputs[1].isEmpty else { throw refusal(node, "MaxPool's Indices output") }
            return Mapped(op: .maxPool(attributes), inputs: [input])
        }
        var average = attributes
        average.countIncludePad = try node.int("count_include_pad", default: 0) == 1
        return Mapped(op: .averagePool(average), inputs: [input])
    }

    private func clip(_ node: ONNXNode) throws -> Mapped {
        func bound(_ index: Int) throws -> Float? {
            guard let name = node.input(index) else { return nil }
            guard let value = constants[name], value.count == 1 else { throw refusal(node, "a Clip bound that is not a constant scalar") }
            return value.floats[0]
        }
        let (low, high) = (try bound(1), try bound(2))
        switch (low, high) {
        case (0?, 6?): return Mapped(op: .relu6, inputs: [try computed(node, 0)])
        case (0?, nil): return Mapped(op: .relu, inputs: [try computed(node, 0)])
        default: throw refusal(node, "Clip to [\(low.map { "\($0)" } ?? "-inf"), \(high.map { "\($0)" } ?? "inf")]; only Clip(0, 6) (ReLU6) and Clip(0) (ReLU) are mapped")
        }
    }

    // MARK: - Linear algebra and arithmetic

    /// Gemm: Y = alpha · A' · B' + beta · C with A' = A (transA 0), B' = B or Bᵀ (transB); a
    /// linear layer with weight alpha · B'ᵀ [out, in] and bias beta · C.
    private func gemm(_ node: ONNXNode) throws -> Mapped {
        guard try node.int("transA", default: 0) == 0 else { throw refusal(node, "Gemm with transA 1 (the batch would be the contracted axis)") }
        let b = try parameter(node, 1)
        guard b.rank == 2 else { throw refusal(node, "a Gemm matrix B of shape \(b.shape)") }
        let weight = try node.int("transB", default: 0) == 1 ? b : try b.transpose2D()
        let alpha = try node.float("alpha", default: 1), beta = try node.float("beta", default: 1)
        var parameters = ["weight": alpha == 1 ? weight : weight * alpha]
        if node.input(2) != nil {
            let c = try parameter(node, 2)
            let out = weight.shape[0]
            // C broadcasts to [N, out]; the mapped bias is one value per output.
            let values: [Float]
            if c.count == out, c.shape.last == out {
                values = c.data
            } else if c.count == 1 {
                values = [Float](repeating: c.data[0], count: out)
            } else {
                throw refusal(node, "a Gemm C of shape \(c.shape); a bias of \(out) values or a scalar is mapped")
            }
            parameters["bias"] = try Tensor(shape: [out], data: values.map { $0 * beta })
        }
        return Mapped(op: .linear, inputs: [try computed(node, 0)], parameters: parameters)
    }

    private func arithmetic(_ node: ONNXNode) throws -> Mapped {
        let operators: [String: (ArithmeticOperator, LayerOp)] = ["Add": (.add, .add), "Sub": (.subtract, .sub),
                                                                  "Mul": (.multiply, .mul), "Div": (.divide, .div)]
        guard let (op, binary) = operators[node.opType], let left = node.input(0), let right = node.input(1) else {
            throw refusal(node, "an arithmetic node without two inputs")
        }
        switch (constants[left], constants[right]) {
        case (nil, nil): return Mapped(op: binary, inputs: [left, right])
        case (nil, let constant?):
            return Mapped(op: .constantArithmetic(op, constantFirst: false), inputs: [left], parameters: ["constant": try tensor(constant)])
        case (let constant?, nil):
            return Mapped(op: .constantArithmetic(op, constantFirst: true), inputs: [right], parameters: ["constant": try tensor(constant)])
        case (_?, _?): throw refusal(node, "arithmetic on two constants (folding should have removed it)")
        }
    }

    /// Reshape keeps the batch: the target's first entry must be the batch (0, -1 or the folded
    /// batch size) and the rest is the per-item shape, 0 meaning "copy the input's size" (allowzero 0).
    private func reshape(_ node: ONNXNode) throws -> Mapped {
        let input = try computed(node, 0)
        guard let name = node.input(1), let target = constants[name]?.ints else { throw refusal(node, "a Reshape whose shape is not constant") }
        guard try node.int("allowzero", default: 0) == 0 else { throw refusal(node, "Reshape with allowzero 1") }
        let inputShape = shapes[input] ?? []
        var resolved = target
        for index in resolved.indices where resolved[index] == 0 {
            guard index < inputShape.count else { throw refusal(node, "shape \(target) copies axis \(index) of a rank-\(inputShape.count) input") }
            resolved[index] = inputShape[index]
        }
        guard let first = resolved.first, first == -1 ? !resolved.dropFirst().contains(-1) : first == inputShape.first else {
            throw refusal(node, "Reshape to \(target) of a \(inputShape) input changes the batch axis; only reshapes that keep it are mapped")
        }
        return Mapped(op: .reshape(shape: Array(resolved.dropFirst())), inputs: [input])
    }

    // MARK: - Helpers

    /// Input `index` of `node`, which must be computed from the network input (not a constant).
    func computed(_ node: ONNXNode, _ index: Int) throws -> String {
        guard let name = node.input(index) else { throw refusal(node, "no input \(index)") }
        guard constants[name] == nil else { throw refusal(node, "a constant '\(name)' as input \(index), where a computed value is expected") }
        return name
    }

    /// Input `index` of `node` as a constant tensor (a weight, bias or statistic).
    func parameter(_ node: ONNXNode, _ index: Int) throws -> Tensor {
        guard let name = node.input(index), let value = constants[name] else {
            throw refusal(node, "input \(index) computed at run time; it must be a constant (weights, biases and statistics are)")
        }
        return try tensor(value)
    }

    func tensor(_ value: ONNXTensor) throws -> Tensor {
        try Tensor(shape: value.dims.isEmpty ? [1] : value.dims, data: value.floats)
    }

    /// A two-entry INTS attribute with equal entries (default 1), such as strides.
    func square(_ node: ONNXNode, _ name: String) throws -> Int {
        let values = try node.ints(name) ?? [1, 1]
        guard values.count == 2, values[0] == values[1], values[0] >= 1 else {
            throw refusal(node, "\(name) \(values); only equal, positive values along height and width are mapped")
        }
        return values[0]
    }

    func normalized(_ axis: Int, _ node: ONNXNode, rankOf value: String) throws -> Int {
        let rank = shapes[value]?.count ?? 4
        guard axis >= -rank, axis < rank else { throw refusal(node, "axis \(axis) for a rank-\(rank) value") }
        return axis < 0 ? axis + rank : axis
    }

    func refusal(_ node: ONNXNode, _ what: String) -> EngineError {
        .unsupported("\(node.label): \(what)")
    }
}
