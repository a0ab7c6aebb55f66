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
}
