/// Image statistics used as losses: Gram matrices (style, texture) and total variation.
extension Tensor {
    /// [N, C, H, W] -> [N, C, C], F·Fᵀ / (H·W) with F the [C, H·W] features of each image
    /// (Gatys et al.; the division makes the loss independent of image size).
    public func gram() throws -> Tensor {
        guard rank == 4 else { throw EngineError.shapeMismatch("gram: input must be [N, C, H, W], got \(shape)") }
        let batch = shape[0], channels = shape[1], plane = shape[2] * shape[3]
        let scale = 1 / Float(Swift.max(plane, 1))
        var values = [Float](repeating: 0, count: batch * channels * channels)
        data.withUnsafeBufferPointer { x in
            values.withUnsafeMutableBufferPointer { y in
                for image in 0..<batch {
                    let features = x.baseAddress.map { $0 + image * channels * plane }
                    BLAS.gemm(transposeB: true, m: channels, n: channels, k: plane, alpha: scale,
                              a: features, lda: plane, b: features, ldb: plane,
                              c: y.baseAddress.map { $0 + image * channels * channels }, ldc: channels)
                }
            }
        }
        let input = self
        return Tensor.makeResult(shape: [batch, channels, channels], data: values, parents: [input]) { outputGradient, _ in
            // dF = (G + Gᵀ) · F · scale, with G the incoming gradient.
            var symmetric = outputGradient
            for image in 0..<batch {
                let base = image * channels * channels
                for i in 0..<channels {
                    for j in 0..<channels {
                        symmetric[base + i * channels + j] = outputGradient[base + i * channels + j] + outputGradient[base + j * channels + i]
                    }
                }
            }
            input.accumulateGradient { dx in
                symmetric.withUnsafeBufferPointer { s in
                    input.data.withUnsafeBufferPointer { x in
                        for image in 0..<batch {
                            BLAS.gemm(m: channels, n: plane, k: channels, alpha: scale,
                                      a: s.baseAddress.map { $0 + image * channels * channels }, lda: channels,
                                      b: x.baseAddress.map { $0 + image * channels * plane }, ldb: plane, beta: 1,
                                      c: dx.baseAddress.map { $0 + image * channels * plane }, ldc: plane)
                        }
                    }
                }
            }
        }
    }

    /// Σ (x[y+1, x] - x[y, x])² + (x[y, x+1] - x[y, x])² over the last two dimensions, shape `[1]`:
    /// the smoothness prior of Mahendran & Vedaldi (β = 2), for feature inversion and visualization.
    public func totalVariation() throws -> Tensor {
        guard rank >= 2 else { throw EngineError.invalid("totalVariation: needs at least 2 dimensions, got \(shape)") }
        let height = shape[rank - 2], width = shape[rank - 1]
        let vertical = try slice(axis: rank - 2, range: 1..<Swift.max(height, 1)) - slice(axis: rank - 2, range: 0..<Swift.max(height - 1, 0))
        let horizontal = try slice(axis: rank - 1, range: 1..<Swift.max(width, 1)) - slice(axis: rank - 1, range: 0..<Swift.max(width - 1, 0))
        return try vertical.square().sum() + horizontal.square().sum()
    }
}
