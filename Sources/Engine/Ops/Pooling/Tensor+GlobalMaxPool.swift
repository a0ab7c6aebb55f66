/// Global max pooling (ONNX GlobalMaxPool, https://onnx.ai/onnx/operators/onnx__GlobalMaxPool.html).
extension Tensor {
    /// [N, C, H, W] -> [N, C, 1, 1], the maximum of each channel. The gradient goes to the first
    /// maximum of each plane in row-major order (the rule `maxPool2d` follows among ties).
    /// Throws unless the input has rank 4 and non-empty planes.
    public func globalMaxPool() throws -> Tensor {
        guard rank == 4, shape[2] * shape[3] > 0 else {
            throw EngineError.shapeMismatch("globalMaxPool: input must be [N, C, H, W] with H, W ≥ 1, got \(shape)")
        }
        let planes = shape[0] * shape[1], plane = shape[2] * shape[3]
        var values = [Float](repeating: 0, count: planes)
        var winners = [Int](repeating: 0, count: planes)
        data.withUnsafeBufferPointer { x in
            for p in 0..<planes {
                var best = p * plane
                for index in (p * plane + 1)..<((p + 1) * plane) where x[index] > x[best] { best = index }
                winners[p] = best
                values[p] = x[best]
            }
        }
        let input = self
        return Tensor.makeResult(shape: [shape[0], shape[1], 1, 1], data: values, parents: [input]) { outputGradient, _ in
            input.accumulateGradient { dx in
                for p in 0..<planes { dx[winners[p]] += outputGradient[p] }
            }
        }
    }
}
