/// Inverted dropout (Srivastava et al. 2014, "Dropout: a simple way to prevent neural
/// networks from overfitting", with the scaling moved to training time as ConvNetJS and
/// PyTorch do): in training each value is kept with probability 1 − p and scaled by
/// 1 / (1 − p), so inference is the identity.
extension Tensor {
    /// The mask for a tensor of `count` values: 0 where dropped, 1 / (1 − p) where kept, one
    /// uniform draw of `random` per value in order (so a seed fixes every mask).
    /// Throws `EngineError.invalid` unless 0 ≤ p < 1.
    public static func dropoutMask(count: Int, probability p: Float, random: inout SeededRandom) throws -> [Float] {
        guard p >= 0, p < 1 else { throw EngineError.invalid("dropout: the drop probability must be in 0 ..< 1, got \(p)") }
        let keep = 1 / (1 - p)
        var mask = [Float](repeating: 0, count: count)
        for index in 0..<count where random.uniform() >= p { mask[index] = keep }
        return mask
    }

    /// x · mask elementwise, with backward dx = dy · mask. Throws `EngineError.shapeMismatch`
    /// when the mask does not have one value per element.
    public func masked(by mask: [Float]) throws -> Tensor {
        guard mask.count == count else {
            throw EngineError.shapeMismatch("dropout: mask has \(mask.count) values, input \(shape) has \(count)")
        }
        var values = data
        values.withUnsafeMutableBufferPointer { y in
            mask.withUnsafeBufferPointer { m in for index in y.indices { y[index] *= m[index] } }
        }
        let input = self
        return Tensor.makeResult(shape: shape, data: values, parents: [input]) { outputGradient, _ in
            input.accumulateGradientCovering { dx, overwrite in
                for index in dx.indices {
                    let contribution = outputGradient[index] * mask[index]
                    dx[index] = overwrite ? contribution : dx[index] + contribution
                }
            }
        }
    }
}
