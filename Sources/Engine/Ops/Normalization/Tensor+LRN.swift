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
        let squares = data.map { $0 * $0 }
        let sums = Tensor.channelWindowSums(squares, batch: batch, channels: channels, plane: plane,
                                            before: below, after: above).map { bias + scale * $0 }
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count { values[index] = data[index] * Foundation.pow(sums[index], -beta) }
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
                    let totals = Tensor.channelWindowSums(weighted, batch: batch, channels: channels, plane: plane,
                                                          before: above, after: below)
                    for index in 0..<input.count {
                        dx[index] += outputGradient[index] * Foundation.pow(sums[index], -beta)
                            - 2 * beta * scale * x[index] * totals[index]
                    }
                }
            }
        }
    }

    /// out[n, c, p] = Σ values[n, k, p] for k from c − before to c + after (the channels that
    /// exist), for `values` laid out [batch, channels, plane].
    static func channelWindowSums(_ values: [Float], batch: Int, channels: Int, plane: Int,
                                  before: Int, after: Int) -> [Float] {
        var out = [Float](repeating: 0, count: values.count)
        for n in 0..<batch {
            let base = n * channels * plane
            for c in 0..<channels {
                let first = Swift.max(0, c - before), last = Swift.min(channels - 1, c + after)
                for k in first...last {
                    for p in 0..<plane { out[base + c * plane + p] += values[base + k * plane + p] }
                }
            }
        }
        return out
    }
}
