import Foundation

/// Elementwise math: each output element depends on one input element.
extension Tensor {
    /// Applies `forward` to every element; the backward multiplies the incoming gradient by
    /// `derivative(x, y)` where x is the input and y the output element.
    func mapElements(_ forward: (Float) -> Float,
                     derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
        let input = self
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            input.data.withUnsafeBufferPointer { source in
                for index in 0..<source.count { buffer[index] = forward(source[index]) }
            }
            initialized = input.count
        }
        return Tensor.makeResult(shape: shape, data: values, parents: [input]) { outputGradient, _ in
            var inputGradient = outputGradient
            input.data.withUnsafeBufferPointer { x in
                values.withUnsafeBufferPointer { y in
                    for index in 0..<inputGradient.count {
                        inputGradient[index] *= derivative(x[index], y[index])
                    }
                }
            }
            input.accumulateGradient(inputGradient)
        }
    }

    /// x².
    public func square() -> Tensor {
        mapElements({ $0 * $0 }, derivative: { x, _ in 2 * x })
    }

    /// √x. NOTE: the derivative 1/(2√x) is infinite at 0; we return 0 there rather than inf
    /// so that one zero pixel cannot poison an optimisation with NaNs.
    public func sqrt() -> Tensor {
        mapElements({ Foundation.sqrt(Swift.max($0, 0)) },
                    derivative: { _, y in y > 0 ? 0.5 / y : 0 })
    }

    /// |x|. NOTE: subgradient 0 at x == 0.
    public func abs() -> Tensor {
        mapElements({ Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
    }

    /// eˣ.
    public func exp() -> Tensor {
        mapElements({ Foundation.exp($0) }, derivative: { _, y in y })
    }

    /// Natural logarithm; log of a non-positive value is -inf or NaN, as in IEEE arithmetic.
    public func log() -> Tensor {
        mapElements({ Foundation.log($0) }, derivative: { x, _ in 1 / x })
    }

    /// Limits every element to [min, max]; the gradient passes only where the value was inside.
    public func clamp(min lower: Float, max upper: Float) -> Tensor {
        mapElements({ Swift.min(Swift.max($0, lower), upper) },
                    derivative: { x, _ in x >= lower && x <= upper ? 1 : 0 })
    }

    /// xᵖ for a constant exponent.
    public func power(_ exponent: Float) -> Tensor {
        mapElements({ Foundation.pow($0, exponent) },
                    derivative: { x, _ in exponent * Foundation.pow(x, exponent - 1) })
    }

    /// -x.
    public static prefix func - (tensor: Tensor) -> Tensor {
        tensor.mapElements({ -$0 }, derivative: { _, _ in -1 })
    }
}
