/// ReduceSum and ReduceMean on constants: a conditional instance norm's gamma and beta are
/// ReduceSum(style_weights · table) in Dumoulin et al.'s exported networks, constants once the
/// style weights are bound (`ONNXImporter.Options.constantInputs`).
extension ONNXConstantEvaluation {
    /// The reduction of `x` as a FLOAT tensor, accumulated in Double; axes and keepdims as
    /// https://onnx.ai/onnx/operators/onnx__ReduceSum.html defines them (nil axes with
    /// noop_with_empty_axes 1: `x` unchanged). nil for integer tensors, which stay unevaluated
    /// rather than change type.
    static func reduce(_ node: ONNXNode, _ x: ONNXTensor, axesInput: ONNXTensor?) throws -> ONNXTensor? {
        guard x.elementType.isFloatingPoint else { return nil }
        guard let axes = try ONNXNodeMapping.reductionAxes(node, rank: x.dims.count, axesInput: axesInput) else { return x }
        let keep = try node.int("keepdims", default: 1) != 0
        let reduced = Set(axes)
        let strides = ONNXShapeMath.strides(x.dims)
        let outputDims = x.dims.indices.map { reduced.contains($0) ? 1 : x.dims[$0] }
        let outputStrides = ONNXShapeMath.strides(outputDims)
        let count = try ONNXShapeMath.count(outputDims, node)
        var sums = [Double](repeating: 0, count: count)
        let values = x.floats
        for (position, value) in values.enumerated() {
            var target = 0
            for axis in x.dims.indices where !reduced.contains(axis) {
                target += (position / strides[axis]) % x.dims[axis] * outputStrides[axis]
            }
            sums[target] += Double(value)
        }
        if node.opType == "ReduceMean" {
            let length = Double(max(values.count / max(count, 1), 1))
            sums = sums.map { $0 / length }
        }
        let dims = keep ? outputDims : x.dims.indices.filter { !reduced.contains($0) }.map { x.dims[$0] }
        return try ONNXTensor(dims: dims, floats: sums.map { Float($0) })
    }
}
