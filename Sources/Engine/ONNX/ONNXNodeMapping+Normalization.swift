/// InstanceNormalization and the elementwise and reduction operators exporters write
/// normalisations with (Pow, Sqrt, ReduceMean, ReduceSum), per https://onnx.ai/onnx/operators/.
extension ONNXNodeMapping {
    /// InstanceNormalization (opset 6+): input, scale [C], B [C]; epsilon default 1e-5.
    func instanceNormalization(_ node: ONNXNode) throws -> Mapped {
        let input = try computedInput(node, 0)
        var parameters: [String: Tensor] = [:]
        for (index, key) in [(1, "scale"), (2, "bias")] { parameters[key] = try constantInput(node, index) }
        return Mapped(op: .instanceNorm(epsilon: try node.float("epsilon", default: 1e-5)), inputs: [input], parameters: parameters)
    }

    /// Pow with a computed base and a constant scalar exponent (broadcast to every element).
    func power(_ node: ONNXNode) throws -> Mapped {
        let input = try computedInput(node, 0)
        guard let name = node.input(1), let exponent = constants[name] else {
            throw EngineError.unsupported("\(node.label): an exponent computed at run time; only a constant exponent is mapped")
        }
        guard exponent.count == 1, let value = exponent.floats.first else {
            throw EngineError.unsupported("\(node.label): an exponent of shape \(exponent.dims); only one constant exponent for every element is mapped")
        }
        return Mapped(op: .power(exponent: value), inputs: [input])
    }

    /// ReduceMean / ReduceSum: axes from the attribute (ReduceSum before opset 13, ReduceMean
    /// before 18) or the second input (after); keepdims default 1; empty axes reduce everything
    /// unless noop_with_empty_axes is 1, when the node is the identity.
    func reduction(_ node: ONNXNode) throws -> Mapped {
        let input = try computedInput(node, 0)
        guard let rank = shapes[input]?.count else { throw EngineError.unsupported("\(node.label): a reduction of a value of unknown rank") }
        guard let axes = try ONNXNodeMapping.reductionAxes(node, rank: rank, axesInput: node.input(1).flatMap { constants[$0] }) else {
            return Mapped(op: .identity, inputs: [input])
        }
        guard !axes.contains(0) else {
            throw EngineError.unsupported("\(node.label): a reduction over the batch axis (axes \(axes) of a rank-\(rank) value); each image of a batch is computed alone")
        }
        let operation: ReduceAttributes.Operation = node.opType == "ReduceMean" ? .mean : .sum
        return Mapped(op: .reduce(ReduceAttributes(operation: operation, axes: axes.sorted(), keepDims: try node.int("keepdims", default: 1) != 0)),
                      inputs: [input])
    }

    /// The normalized axes a ReduceMean or ReduceSum node reduces for an input of rank `rank`,
    /// or nil when it reduces nothing (noop_with_empty_axes 1 with empty axes).
    static func reductionAxes(_ node: ONNXNode, rank: Int, axesInput: ONNXTensor?) throws -> [Int]? {
        if node.input(1) != nil && axesInput == nil {
            throw EngineError.unsupported("\(node.label): axes computed at run time; they must be constant")
        }
        let given = try axesInput.map { try ONNXConstantEvaluation.integers(node, $0, "axes").map { Int($0) } } ?? node.ints("axes") ?? []
        if given.isEmpty {
            return try node.int("noop_with_empty_axes", default: 0) != 0 ? nil : Array(0..<rank)
        }
        return try ONNXShapeMath.axes(given, rank: rank, node)
    }

    /// Input `index`, which must be computed from the network input.
    func computedInput(_ node: ONNXNode, _ index: Int) throws -> String {
        guard let name = node.input(index) else { throw EngineError.unsupported("\(node.label): no input \(index)") }
        guard constants[name] == nil else {
            throw EngineError.unsupported("\(node.label): a constant '\(name)' as input \(index), where a computed value is expected")
        }
        return name
    }

    /// Optional input `index` as a constant tensor: nil when omitted, an error when computed.
    func constantInput(_ node: ONNXNode, _ index: Int) throws -> Tensor? {
        guard let name = node.input(index) else { return nil }
        guard let value = constants[name] else {
            throw EngineError.unsupported("\(node.label): input \(index) '\(name)' is computed at run time; it must be a constant")
        }
        return try Tensor(shape: value.dims.isEmpty ? [1] : value.dims, data: value.floats)
    }
}
