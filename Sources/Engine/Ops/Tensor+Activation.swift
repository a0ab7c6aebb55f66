import Foundation

/// Nonlinearities. ReLU and ReLU6 honour the `ReLURule` of the `backward` call.
extension Tensor {
    /// max(x, 0), with the backward rule chosen per `backward` call (standard, guided, deconvnet).
    public func relu() -> Tensor {
        reluLike(upper: .infinity)
    }

    /// min(max(x, 0), 6) (MobileNet, EfficientNet-Lite). Under the guided and deconvnet rules it
    /// behaves like ReLU with the same "open" test (0 < x < 6).
    public func relu6() -> Tensor {
        reluLike(upper: 6)
    }

    private func reluLike(upper: Float) -> Tensor {
        let input = self
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            input.data.withUnsafeBufferPointer { source in
                Parallel.forRanges(source.count) { range in
                    for index in range {
                        let x = source[index]
                        buffer[index] = x > upper ? upper : (x > 0 ? x : 0)
                    }
                }
            }
            initialized = input.count
        }
        return Tensor.makeResult(shape: shape, data: values, parents: [input]) { outputGradient, rule in
            input.accumulateGradient(ReLURule.masked(outputGradient, input: input.data, lower: 0, upper: upper, rule: rule))
        }
    }

    /// x for x > 0, slope·x otherwise.
    public func leakyReLU(slope: Float) -> Tensor {
        mapElements({ $0 > 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
    }

    /// 1 / (1 + e⁻ˣ).
    public func sigmoid() -> Tensor {
        mapElements({ 1 / (1 + Foundation.exp(-$0)) }, derivative: { _, y in y * (1 - y) })
    }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor {
        mapElements({ Foundation.tanh($0) }, derivative: { _, y in 1 - y * y })
    }

    /// max(0, min(1, alpha·x + beta)): ONNX HardSigmoid (defaults alpha 0.2, beta 0.5);
    /// PyTorch's `hardsigmoid` is alpha 1/6, beta 1/2 (Howard et al., "Searching for
    /// MobileNetV3", 2019). The gradient is alpha inside the linear part, 0 where clipped.
    public func hardSigmoid(alpha: Float = 0.2, beta: Float = 0.5) -> Tensor {
        mapElements({ Swift.min(Swift.max(alpha * $0 + beta, 0), 1) },
                    derivative: { x, _ in
                        let z = alpha * x + beta
                        return z > 0 && z < 1 ? alpha : 0
                    })
    }

    /// x · relu6(x + 3) / 6 (MobileNetV3's h-swish; ONNX HardSwish). Derivative: 0 below -3,
    /// 1 above 3, (2x + 3) / 6 between.
    public func hardSwish() -> Tensor {
        mapElements({ $0 * Swift.min(Swift.max($0 + 3, 0), 6) / 6 },
                    derivative: { x, _ in x <= -3 ? 0 : (x >= 3 ? 1 : (2 * x + 3) / 6) })
    }
}
