import Foundation

/// Batch normalization over the channel axis (axis 1) of [N, C] or [N, C, H, W] tensors.
extension Tensor {
    /// Inference: y = (x - mean) / √(variance + eps) · gamma + beta with stored statistics.
    /// Differentiable with respect to every argument that requires a gradient.
    public func batchNorm(mean: Tensor, variance: Tensor, gamma: Tensor?, beta: Tensor?, eps: Float) throws -> Tensor {
        let (batch, channels, plane) = try batchNormLayout(operation: "batchNorm")
        for (label, tensor) in [("mean", mean), ("variance", variance), ("gamma", gamma), ("beta", beta)] {
            if let tensor, tensor.count != channels {
                throw EngineError.shapeMismatch("batchNorm: \(label) has \(tensor.count) values, input \(shape) has \(channels) channels")
            }
        }
        let inverseStd = (0..<channels).map { 1 / Foundation.sqrt(variance.data[$0] + eps) }
        let scale = (0..<channels).map { inverseStd[$0] * (gamma?.data[$0] ?? 1) }
        let shift = (0..<channels).map { (beta?.data[$0] ?? 0) - mean.data[$0] * scale[$0] }
        var values = [Float](repeating: 0, count: count)
        data.withUnsafeBufferPointer { x in
            values.withUnsafeMutableBufferPointer { y in
                for image in 0..<batch {
                    for channel in 0..<channels {
                        let base = (image * channels + channel) * plane
                        let a = scale[channel], b = shift[channel]
                        for index in base..<(base + plane) { y[index] = x[index] * a + b }
                    }
                }
            }
        }
        let input = self
        let parents = [input, mean, variance] + [gamma, beta].compactMap { $0 }
        return Tensor.makeResult(shape: shape, data: values, parents: parents) { outputGradient, _ in
            input.accumulateGradient { dx in
                for image in 0..<batch {
                    for channel in 0..<channels {
                        let base = (image * channels + channel) * plane
                        for index in base..<(base + plane) { dx[index] += outputGradient[index] * scale[channel] }
                    }
                }
            }
            // Per-channel sums Σg and Σg·(x - mean), from which the parameter gradients follow.
            guard parents.dropFirst().contains(where: { $0.requiresGrad }) else { return }
            var sumGradient = [Float](repeating: 0, count: channels)
            var sumGradientCentered = [Float](repeating: 0, count: channels)
            for image in 0..<batch {
                for channel in 0..<channels {
                    let base = (image * channels + channel) * plane
                    let m = mean.data[channel]
                    for index in base..<(base + plane) {
                        sumGradient[channel] += outputGradient[index]
                        sumGradientCentered[channel] += outputGradient[index] * (input.data[index] - m)
                    }
                }
            }
            let gammaValues = (0..<channels).map { gamma?.data[$0] ?? 1 }
            mean.accumulateGradient((0..<channels).map { -sumGradient[$0] * scale[$0] })
            variance.accumulateGradient((0..<channels).map {
                -0.5 * sumGradientCentered[$0] * gammaValues[$0] * inverseStd[$0] * inverseStd[$0] * inverseStd[$0]
            })
            gamma?.accumulateGradient((0..<channels).map { sumGradientCentered[$0] * inverseStd[$0] })
            beta?.accumulateGradient(sumGradient)
        }
    }

    /// Training: normalizes with this batch's statistics (biased variance) and updates the
    /// running statistics in place with `momentum` (PyTorch's convention: new = (1 - m)·old + m·batch,
    /// the running variance taking the unbiased batch variance).
    public func batchNormTraining(gamma: Tensor?, beta: Tensor?, eps: Float, runningMean: Tensor,
                                  runningVariance: Tensor, momentum: Float) throws -> Tensor {
        let (batch, channels, plane) = try batchNormLayout(operation: "batchNormTraining")
        for (label, tensor) in [("gamma", gamma), ("beta", beta), ("runningMean", runningMean), ("runningVariance", runningVariance)] {
            if let tensor, tensor.count != channels {
                throw EngineError.shapeMismatch("batchNormTraining: \(label) has \(tensor.count) values, input \(shape) has \(channels) channels")
            }
        }
        let samples = batch * plane
        guard samples > 1 else {
            throw EngineError.invalid("batchNormTraining: needs more than one value per channel, input is \(shape)")
        }
        var batchMean = [Double](repeating: 0, count: channels)
        var batchVariance = [Double](repeating: 0, count: channels)
        for image in 0..<batch {
            for channel in 0..<channels {
                let base = (image * channels + channel) * plane
                for index in base..<(base + plane) { batchMean[channel] += Double(data[index]) }
            }
        }
        for channel in 0..<channels { batchMean[channel] /= Double(samples) }
        for image in 0..<batch {
            for channel in 0..<channels {
                let base = (image * channels + channel) * plane
                for index in base..<(base + plane) {
                    let centered = Double(data[index]) - batchMean[channel]
                    batchVariance[channel] += centered * centered
                }
            }
        }
        for channel in 0..<channels { batchVariance[channel] /= Double(samples) }
        let inverseStd = (0..<channels).map { Float(1 / (batchVariance[$0] + Double(eps)).squareRoot()) }
        let gammaValues = (0..<channels).map { gamma?.data[$0] ?? 1 }
        var normalized = [Float](repeating: 0, count: count)
        var values = [Float](repeating: 0, count: count)
        for image in 0..<batch {
            for channel in 0..<channels {
                let base = (image * channels + channel) * plane
                let m = Float(batchMean[channel]), b = beta?.data[channel] ?? 0
                for index in base..<(base + plane) {
                    normalized[index] = (data[index] - m) * inverseStd[channel]
                    values[index] = normalized[index] * gammaValues[channel] + b
                }
            }
        }
        let unbiasing = Double(samples) / Double(samples - 1)
        for channel in 0..<channels {
            runningMean.data[channel] = (1 - momentum) * runningMean.data[channel] + momentum * Float(batchMean[channel])
            runningVariance.data[channel] = (1 - momentum) * runningVariance.data[channel]
                + momentum * Float(batchVariance[channel] * unbiasing)
        }
        let input = self
        let parents = [input] + [gamma, beta].compactMap { $0 }
        return Tensor.makeResult(shape: shape, data: values, parents: parents) { outputGradient, _ in
            var sumGradient = [Float](repeating: 0, count: channels)
            var sumGradientNormalized = [Float](repeating: 0, count: channels)
            for image in 0..<batch {
                for channel in 0..<channels {
                    let base = (image * channels + channel) * plane
                    for index in base..<(base + plane) {
                        sumGradient[channel] += outputGradient[index]
                        sumGradientNormalized[channel] += outputGradient[index] * normalized[index]
                    }
                }
            }
            gamma?.accumulateGradient(sumGradientNormalized)
            beta?.accumulateGradient(sumGradient)
            // dx = γ/(σ·M) · (M·g - Σg - x̂·Σ(g·x̂)), the batch statistics being functions of x.
            input.accumulateGradient { dx in
                let m = Float(samples)
                for image in 0..<batch {
                    for channel in 0..<channels {
                        let base = (image * channels + channel) * plane
                        let factor = gammaValues[channel] * inverseStd[channel] / m
                        for index in base..<(base + plane) {
                            dx[index] += factor * (m * outputGradient[index] - sumGradient[channel]
                                                   - normalized[index] * sumGradientNormalized[channel])
                        }
                    }
                }
            }
        }
    }

    private func batchNormLayout(operation: String) throws -> (batch: Int, channels: Int, plane: Int) {
        guard rank >= 2 else { throw EngineError.shapeMismatch("\(operation): input must be [N, C] or [N, C, H, W], got \(shape)") }
        return (shape[0], shape[1], shape[2...].reduce(1, *))
    }
}
