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
        // Row-major strides of the input, read in output axis order: walking the output in
        // order visits input offsets sum(index[i] * inputStride[permutation[i]]).
        var inputStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { inputStrides[axis] = inputStrides[axis + 1] * shape[axis + 1] }
        let steps = permutation.map { inputStrides[$0] }
        let total = count
        // offsets[o] is the input offset of output element o; forward gathers, backward scatters.
        var offsets = [Int](repeating: 0, count: total)
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for o in 0..<total {
            offsets[o] = offset
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                offset += steps[axis]
                if index[axis] < outputShape[axis] { break }
                offset -= steps[axis] * outputShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
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
