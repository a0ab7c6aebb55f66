/// Mappings of the classic ONNX operators (https://onnx.ai/onnx/operators/): ConvTranspose,
/// PRelu, LogSoftmax, GlobalMaxPool, LRN, MatMul beyond x · W on [N, K], Squeeze and Unsqueeze
/// of computed values, and Sum (opset-9 exports add branches with it).
extension ONNXNodeMapping {
    /// The operators `mapClassic` maps, appended to `mapped`.
    static let classicMapped: [String] = [
        "ConvTranspose", "PRelu", "LogSoftmax", "GlobalMaxPool", "LRN", "Squeeze", "Unsqueeze", "Sum",
    ]

    /// The mapped node, or nil when `node`'s operator is not one of `classicMapped`.
    func mapClassic(_ node: ONNXNode) throws -> Mapped? {
        switch node.opType {
        case "ConvTranspose": return try convTranspose(node)
        case "PRelu":
            return Mapped(op: .prelu, inputs: [try computed(node, 0)], parameters: ["slope": try parameter(node, 1)])
        case "LogSoftmax":
            let input = try computed(node, 0)
            let rank = shapes[input]?.count ?? 2
            let axis = try normalized(try node.int("axis", default: opsetVersion >= 13 ? -1 : 1), node, rankOf: input)
            return Mapped(op: softmax(axis: axis, rank: rank, log: true), inputs: [input])
        case "GlobalMaxPool": return Mapped(op: .globalMaxPool, inputs: [try computed(node, 0)])
        case "LRN":
            guard let size = try node.int("size"), size >= 1 else { throw refusal(node, "LRN without a positive 'size' attribute") }
            let op = LayerOp.localResponseNormalization(size: size, alpha: try node.float("alpha", default: 1e-4),
                                                        beta: try node.float("beta", default: 0.75), bias: try node.float("bias", default: 1))
            return Mapped(op: op, inputs: [try computed(node, 0)])
        case "Squeeze", "Unsqueeze": return try squeeze(node)
        case "Sum": return try sum(node)
        default: return nil
        }
    }

    /// Softmax or LogSoftmax along `axis` (opset 13 on), or over all axes from `axis` on taken as
    /// one (before 13; the same op when `axis` is the last).
    func softmax(axis: Int, rank: Int, log: Bool) -> LayerOp {
        if opsetVersion >= 13 || axis == rank - 1 { return log ? .logSoftmax(axis: axis) : .softmax(axis: axis) }
        return .coercedSoftmax(axis: axis, log: log)
    }

    /// ConvTranspose: pads from `pads`, `auto_pad` or `output_shape` (which fixes the pads as
    /// the operator's definition says: total = stride · (in − 1) + output_padding + extent −
    /// output_shape, the larger half at the start except for SAME_UPPER).
    private func convTranspose(_ node: ONNXNode) throws -> Mapped {
        let input = try computed(node, 0)
        let weight = try parameter(node, 1)
        guard weight.rank == 4 else { throw refusal(node, "a \(weight.rank - 2)-D transposed convolution (weight \(weight.shape)); only 2-D ones are mapped") }
        let kernel = (weight.shape[2], weight.shape[3])
        if let shape = try node.ints("kernel_shape"), shape != [kernel.0, kernel.1] {
            throw EngineError.shapeMismatch("\(node.label): kernel_shape \(shape) differs from the weight's \([kernel.0, kernel.1])")
        }
        let stride = try square(node, "strides"), dilation = try square(node, "dilations")
        let outputPadding = try node.ints("output_padding") ?? [0, 0]
        guard outputPadding.count == 2, outputPadding.allSatisfy({ $0 >= 0 && $0 < stride }) else {
            throw refusal(node, "output_padding \(outputPadding); two values, each below the stride \(stride), are mapped")
        }
        var parameters = ["weight": weight]
        if node.input(2) != nil { parameters["bias"] = try parameter(node, 2) }
        let autoPad = try node.string("auto_pad") ?? "NOTSET"
        let padding: ConvTransposeAttributes.Padding
        if let requested = try node.ints("output_shape") {
            guard let shape = shapes[input], shape.count == 4, requested.count >= 2 else {
                throw refusal(node, "output_shape \(requested) for an input of unknown size")
            }
            let target = Array(requested.suffix(2))
            var begin: [Int] = [], end: [Int] = []
            for axis in 0..<2 {
                let extent = ([kernel.0, kernel.1][axis] - 1) * dilation + 1
                let total = stride * (shape[axis + 2] - 1) + outputPadding[axis] + extent - target[axis]
                guard total >= 0 else { throw refusal(node, "output_shape \(requested) is larger than the full transposed convolution; only shapes it can be cropped to are mapped") }
                begin.append(autoPad == "SAME_UPPER" ? total / 2 : total - total / 2)
                end.append(total - begin[axis])
            }
            padding = .explicit(top: begin[0], left: begin[1], bottom: end[0], right: end[1])
        } else {
            switch autoPad {
            case "NOTSET":
                let pads = try node.ints("pads") ?? [0, 0, 0, 0]
                guard pads.count == 4, pads.allSatisfy({ $0 >= 0 }) else { throw refusal(node, "pads \(pads); four non-negative values are needed") }
                padding = .explicit(top: pads[0], left: pads[1], bottom: pads[2], right: pads[3])
            case "VALID": padding = .explicit(top: 0, left: 0, bottom: 0, right: 0)
            case "SAME_UPPER": padding = .same(upper: true)
            case "SAME_LOWER": padding = .same(upper: false)
            case let other: throw refusal(node, "auto_pad '\(other)'")
            }
        }
        let attributes = ConvTransposeAttributes(stride: stride, padding: padding, outputPadding: outputPadding,
                                                 dilation: dilation, groups: try node.int("group", default: 1))
        return Mapped(op: .convTranspose(attributes), inputs: [input], parameters: parameters)
    }

    /// MatMul with one constant matrix: x · W on [N, K] is a linear layer (so it groups with a
    /// following ReLU); x · W on rank > 2 and W · x on rank ≥ 3 keep their leading axes.
    func matMul(_ node: ONNXNode) throws -> Mapped {
        guard let left = node.input(0), let right = node.input(1) else { throw refusal(node, "a MatMul without two inputs") }
        switch (constants[left], constants[right]) {
        case (nil, let b?):
            guard b.dims.count == 2 else { throw refusal(node, "a MatMul by a constant of shape \(b.dims); only constant matrices are mapped") }
            let weight = try Tensor(shape: b.dims, data: b.floats)
            if shapes[left]?.count == 2 {
                // x [N, K] · B [K, M] is linear with weight Bᵀ [M, K].
                return Mapped(op: .linear, inputs: [left], parameters: ["weight": try weight.transpose2D()])
            }
            return Mapped(op: .matMul(constantFirst: false), inputs: [left], parameters: ["weight": weight])
        case (let a?, nil):
            guard a.dims.count == 2 else { throw refusal(node, "a MatMul of a constant of shape \(a.dims); only constant matrices are mapped") }
            guard let rank = shapes[right]?.count, rank >= 3 else {
                throw refusal(node, "a constant matrix times a rank-\(shapes[right]?.count ?? 0) value; its batch axis would be contracted (a rank of at least 3 is mapped)")
            }
            return Mapped(op: .matMul(constantFirst: true), inputs: [right], parameters: ["weight": try Tensor(shape: a.dims, data: a.floats)])
        case (nil, nil):
            throw refusal(node, "a MatMul of two computed values; only products with a constant matrix are mapped")
        case (_?, _?):
            throw refusal(node, "a MatMul of two constants (folding should have removed it)")
        }
    }

    /// Squeeze and Unsqueeze of a computed value: a reshape that keeps the batch axis (the
    /// axes come from the attribute before opset 13, from input 1 after).
    private func squeeze(_ node: ONNXNode) throws -> Mapped {
        let input = try computed(node, 0)
        guard let inputShape = shapes[input], let output = node.outputs.first, let outputShape = shapes[output] else {
            throw refusal(node, "\(node.opType) of a value of unknown shape")
        }
        let axes = try node.input(1).flatMap { constants[$0]?.ints } ?? node.ints("axes") ?? []
        let touchesBatch = axes.contains { $0 == 0 || (node.opType == "Squeeze" && $0 == -inputShape.count) || (node.opType == "Unsqueeze" && $0 == -outputShape.count) }
        let squeezesBatch = node.opType == "Squeeze" && axes.isEmpty && inputShape.first == 1
        guard !touchesBatch, !squeezesBatch, outputShape.first == inputShape.first, !outputShape.isEmpty else {
            throw refusal(node, "\(node.opType) of \(inputShape) to \(outputShape) moves the batch axis (axis 0); only ones that keep it are mapped")
        }
        return Mapped(op: .reshape(shape: Array(outputShape.dropFirst())), inputs: [input])
    }

    /// Sum of computed values (a layer), or of one computed value and constants (x + constant).
    private func sum(_ node: ONNXNode) throws -> Mapped {
        let names = node.inputs.filter { !$0.isEmpty }
        let computedNames = names.filter { constants[$0] == nil }
        let constantNames = names.filter { constants[$0] != nil }
        if constantNames.isEmpty {
            guard !computedNames.isEmpty else { throw refusal(node, "a Sum of nothing") }
            return Mapped(op: .sum, inputs: computedNames)
        }
        guard computedNames.count == 1, constantNames.count == 1, let constant = constants[constantNames[0]] else {
            throw refusal(node, "a Sum of \(computedNames.count) computed values and \(constantNames.count) constants; one computed value plus one constant, or computed values only, are mapped")
        }
        return Mapped(op: .constantArithmetic(.add, constantFirst: false), inputs: computedNames, parameters: ["constant": try tensor(constant)])
    }
}
