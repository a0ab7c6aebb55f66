/// Permutation of axes (ONNX Transpose, NumPy `transpose`), with its backward pass.
extension Tensor {
    /// The tensor with its axes reordered: output axis i is input axis `permutation[i]`, so
    /// output shape[i] = shape[permutation[i]] (https://onnx.ai/onnx/operators/onnx__Transpose.html).
    /// The gradient is the output gradient transposed by the inverse permutation.
    /// Throws `EngineError.invalid` when `permutation` is not a permutation of 0..<rank.
    public func transposed(_ permutation: [Int]) throws -> Tensor {
        guard permutation.count == rank, Set(permutation) == Set(0..<rank) else {
            throw EngineError.invalid("transpose: \(permutation) is not a permutation of the \(rank) axes of \(shape)")
        }
        if permutation == Array(0..<rank) { return self }
        let outputShape = permutation.map { shape[$0] }
        // Walking the output in order visits input offsets sum(index[i] * inputStride[permutation[i]]).
        let inputStrides = StridedWalk.rowMajorStrides(shape)
        let total = count
        // offsets[o] is the input offset of output element o; forward gathers, backward scatters.
        let offsets = StridedWalk.offsets(shape: outputShape, strides: permutation.map { inputStrides[$0] }, base: 0)
        let source = data
        let values = offsets.map { source[$0] }
        let input = self
        return Tensor.makeResult(shape: outputShape, data: values, parents: [input]) { outputGradient, _ in
            input.accumulateGradient { g in
                for o in 0..<total { g[offsets[o]] += outputGradient[o] }
            }
        }
    }
}
