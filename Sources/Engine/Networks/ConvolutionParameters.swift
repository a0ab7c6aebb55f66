/// A convolution's weight and bias as engine tensors, built from file arrays, with batch norm
/// folded in when the network has it.
///
/// Folding (inference only): y = gamma * (conv(x) - mean) / sqrt(var + eps) + beta is the
/// convolution with weight W * gamma / sqrt(var + eps) per output channel and bias
/// beta - mean * gamma / sqrt(var + eps). It removes a pass over every activation.
struct ConvolutionParameters {
    let weight: Tensor
    let bias: Tensor
    var parameterCount: Int { weight.count + bias.count }
    var outChannels: Int { weight.shape[0] }
    var kernel: Int { weight.shape[2] }

    /// From a PyTorch-layout weight [Cout, Cin/groups, k, k] and optional bias.
    init(weight: WeightArray, bias: WeightArray?) throws {
        guard weight.shape.count == 4 else {
            throw EngineError.shapeMismatch("convolution weight must be 4-D, got \(weight.shape)")
        }
        let outChannels = weight.shape[0]
        if let bias, bias.shape != [outChannels] {
            throw EngineError.shapeMismatch("convolution bias \(bias.shape) does not match \(outChannels) output channels")
        }
        self.weight = try Tensor(shape: weight.shape, data: weight.values)
        self.bias = try Tensor(shape: [outChannels], data: bias?.values ?? [Float](repeating: 0, count: outChannels))
    }

    /// From a Keras/TensorFlow-layout kernel [k, k, Cin, Cout] (HWIO).
    init(hwioKernel kernel: WeightArray, bias: WeightArray) throws {
        try self.init(weight: try kernel.permuted([3, 2, 0, 1]), bias: bias)
    }

    /// A bias-free convolution followed by batch norm, folded into one convolution (`BatchNormFolding`).
    init(weight: WeightArray, batchNorm gamma: WeightArray, beta: WeightArray, mean: WeightArray,
         variance: WeightArray, eps: Float) throws {
        let outChannels = weight.shape.first ?? 0
        for (label, array) in [("gamma", gamma), ("beta", beta), ("mean", mean), ("variance", variance)]
        where array.shape != [outChannels] {
            throw EngineError.shapeMismatch("batch norm \(label) has shape \(array.shape), expected [\(outChannels)]")
        }
        func tensor(_ array: WeightArray) throws -> Tensor { try Tensor(shape: array.shape, data: array.values) }
        let folded = try BatchNormFolding.fold(weight: try tensor(weight), bias: nil, mean: try tensor(mean),
                                               variance: try tensor(variance), gamma: try tensor(gamma),
                                               beta: try tensor(beta), eps: eps)
        try self.init(weight: try WeightArray(shape: weight.shape, values: folded.weight.data),
                      bias: try WeightArray(shape: [outChannels], values: folded.bias.data))
    }
}
