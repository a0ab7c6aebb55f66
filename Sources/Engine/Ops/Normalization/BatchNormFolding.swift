import Foundation

/// Folding an inference batch norm into the convolution before it.
///
/// conv → BN(mean, variance, γ, β, eps) equals one conv with weight W·s and bias (b - mean)·s + β
/// per output channel, s = γ / √(variance + eps). `LayerGraph.folded` uses it at load
/// time so that inference and input gradients skip a full pass over every
/// activation; the result is the same up to Float rounding (about 1e-6 relative).
public enum BatchNormFolding {
    /// Returns the folded (weight, bias) for a conv `weight` [Cout, ...] with optional `bias` [Cout].
    public static func fold(weight: Tensor, bias: Tensor?, mean: Tensor, variance: Tensor,
                            gamma: Tensor?, beta: Tensor?, eps: Float) throws -> (weight: Tensor, bias: Tensor) {
        guard let outChannels = weight.shape.first, outChannels > 0 else {
            throw EngineError.shapeMismatch("BatchNormFolding: weight \(weight.shape) has no output channels")
        }
        for (label, tensor) in [("bias", bias), ("mean", mean), ("variance", variance), ("gamma", gamma), ("beta", beta)] {
            if let tensor, tensor.count != outChannels {
                throw EngineError.shapeMismatch("BatchNormFolding: \(label) has \(tensor.count) values, weight has \(outChannels) output channels")
            }
        }
        let perChannel = weight.count / outChannels
        var foldedWeight = weight.data
        var foldedBias = [Float](repeating: 0, count: outChannels)
        for channel in 0..<outChannels {
            let scale = (gamma?.data[channel] ?? 1) / Foundation.sqrt(variance.data[channel] + eps)
            for index in (channel * perChannel)..<((channel + 1) * perChannel) { foldedWeight[index] *= scale }
            foldedBias[channel] = ((bias?.data[channel] ?? 0) - mean.data[channel]) * scale + (beta?.data[channel] ?? 0)
        }
        return (try Tensor(shape: weight.shape, data: foldedWeight), try Tensor(shape: [outChannels], data: foldedBias))
    }
}
