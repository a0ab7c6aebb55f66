import Foundation

/// Local response normalisation across channels (Krizhevsky et al. 2012, AlexNet section 3.3;
/// ONNX LRN, https://onnx.ai/onnx/operators/onnx__LRN.html).
extension Tensor {
    /// y[n, c, h, w] = x[n, c, h, w] / (bias + alpha / size · Σ x[n, c', h, w]²)^beta over the
    /// channels c' from c − ⌊(size − 1)/2⌋ to c + ⌈(size − 1)/2⌉ that exist. Input
    /// [N, C, ...] (any number of trailing axes). Throws when the rank is below 2, when `size`
    /// is below 1, or when bias ≤ 0 with a zero input would divide by zero (bias must be > 0).
    public func localResponseNormalization(size: Int, alpha: Float, beta: Float, bias: Float) throws -> Tensor {
        guard rank >= 2 else { throw EngineError.shapeMismatch("LRN: input must be [N, C, ...], got \(shape)") }
        guard size >= 1 else { throw EngineError.invalid("LRN: size must be at least 1, got \(size)") }
        guard bias > 0, alpha >= 0, alpha.isFinite, beta.isFinite else {
            throw EngineError.invalid("LRN: needs bias > 0 and finite alpha ≥ 0 and beta, got bias \(bias), alpha \(alpha), beta \(beta)")
        }
        let batch = shape[0], channels = shape[1], plane = shape[2...].reduce(1, *)
        let below = (size - 1) / 2, above = size - 1 - below
        let scale = alpha / Float(size)
        // s = bias + alpha/size · Σ x² over each window; kept for the backward pass.
        var sums = [Float](repeating: 0, count: count)
        var values = [Float](repeating: 0, count: count)
        data.withUnsafeBufferPointer { x in
            for n in 0..<batch {
                let base = n * channels * plane
                for c in 0..<channels {
                    let first = Swift.max(0, c - below), last = Swift.min(channels - 1, c + above)
                    for p in 0..<plane {
                        var total: Float = 0
                        for k in first...last { let v = x[base + k * plane + p]; total += v * v }
                        let index = base + c * plane + p
                        sums[index] = bias + scale * total
                        values[index] = x[index] * Foundation.pow(sums[index], -beta)
                    }
                }
            }
        }
        let input = self
        return Tensor.makeResult(shape: shape, data: values, parents: [input]) { outputGradient, _ in
            // dx_k = g_k s_k^-β − 2β (alpha/size) x_k Σ_{c: k in window(c)} g_c x_c s_c^(−β−1);
            // k lies in window(c) exactly when c runs from k − above to k + below.
            input.accumulateGradient { dx in
                input.data.withUnsafeBufferPointer { x in
                    var weighted = [Float](repeating: 0, count: input.count)
                    for index in 0..<input.count {
                        weighted[index] = outputGradient[index] * x[index] * Foundation.pow(sums[index], -beta - 1)
                    }
                    for n in 0..<batch {
                        let base = n * channels * plane
                        for k in 0..<channels {
                            let first = Swift.max(0, k - above), last = Swift.min(channels - 1, k + below)
                            for p in 0..<plane {
                                var total: Float = 0
                                for c in first...last { total += weighted[base + c * plane + p] }
                                let index = base + k * plane + p
                                dx[index] += outputGradient[index] * Foundation.pow(sums[index], -beta)
                                    - 2 * beta * scale * x[index] * total
                            }
                        }
                    }
                }
            }
        }
    }
}
