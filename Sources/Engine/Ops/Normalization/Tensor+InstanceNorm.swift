/// Instance normalisation (Ulyanov, Vedaldi & Lempitsky 2016, "Instance Normalization: The
/// Missing Ingredient for Fast Stylization"; ONNX InstanceNormalization,
/// https://onnx.ai/onnx/operators/onnx__InstanceNormalization.html).
extension Tensor {
    /// y = scale[c] · (x − μ[n, c]) / sqrt(σ²[n, c] + epsilon) + bias[c] for x of shape
    /// [N, C, ...], where μ and σ² are the mean and the biased variance of each sample's
    /// channel over its spatial positions (the statistics of this input, never running ones).
    /// `scale` and `bias` are [C] or nil (1 and 0).
    ///
    /// Built from the differentiable mean, subtraction, square root and division, so the
    /// backward pass (through the statistics too) is theirs. Throws `EngineError.shapeMismatch`
    /// for an input without spatial axes or a scale or bias that is not [C].
    public func instanceNorm(scale: Tensor?, bias: Tensor?, epsilon: Float) throws -> Tensor {
        guard rank >= 3 else {
            throw EngineError.shapeMismatch("instance norm needs an [N, C, spatial...] input, got \(shape)")
        }
        let (batch, channels) = (shape[0], shape[1])
        let positions = shape[2...].reduce(1, *)
        for (name, tensor) in [("scale", scale), ("bias", bias)] {
            if let tensor, tensor.count != channels {
                throw EngineError.shapeMismatch("instance norm \(name) has shape \(tensor.shape); \(channels) values (one per channel) are needed")
            }
        }
        let planes = try reshape([batch, channels, positions])
        let centred = try planes - (try planes.mean(axis: 2, keepDims: true))
        let variance = try centred.square().mean(axis: 2, keepDims: true)
        var result = try centred / (variance + epsilon).sqrt()
        let perChannel = [1, channels, 1]
        if let scale { result = try result * (try scale.reshape(perChannel)) }
        if let bias { result = try result + (try bias.reshape(perChannel)) }
        return try result.reshape(shape)
    }
}
