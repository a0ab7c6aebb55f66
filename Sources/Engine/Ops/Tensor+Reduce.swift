/// Sums and means, over everything or along one axis.
extension Tensor {
    /// Sum of all elements, shape `[1]`. Accumulated in Double so large images do not lose digits.
    public func sum() -> Tensor {
        let input = self
        var total: Double = 0
        data.withUnsafeBufferPointer { for value in $0 { total += Double(value) } }
        return Tensor.makeResult(shape: [1], data: [Float(total)], parents: [input]) { outputGradient, _ in
            input.accumulateGradient([Float](repeating: outputGradient[0], count: input.count))
        }
    }

    /// Mean of all elements, shape `[1]`.
    public func mean() -> Tensor {
        sum() * (1 / Float(Swift.max(count, 1)))
    }

    /// Sum along `axis` (negative counts from the end); `keepDims` leaves a 1 in its place.
    public func sum(axis: Int, keepDims: Bool = false) throws -> Tensor {
        let axis = try normalizedAxis(axis, operation: "sum")
        let outer = shape[..<axis].reduce(1, *)
        let length = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var values = [Float](repeating: 0, count: outer * inner)
        data.withUnsafeBufferPointer { x in
            values.withUnsafeMutableBufferPointer { y in
                for o in 0..<outer {
                    for a in 0..<length {
                        let base = (o * length + a) * inner
                        for i in 0..<inner { y[o * inner + i] += x[base + i] }
                    }
                }
            }
        }
        var resultShape = shape
        if keepDims { resultShape[axis] = 1 } else { resultShape.remove(at: axis) }
        if resultShape.isEmpty { resultShape = [1] }
        let input = self
        return Tensor.makeResult(shape: resultShape, data: values, parents: [input]) { outputGradient, _ in
            input.accumulateGradient { g in
                for o in 0..<outer {
                    for a in 0..<length {
                        let base = (o * length + a) * inner
                        for i in 0..<inner { g[base + i] += outputGradient[o * inner + i] }
                    }
                }
            }
        }
    }

    /// Mean along `axis`; `keepDims` leaves a 1 in its place.
    public func mean(axis: Int, keepDims: Bool = false) throws -> Tensor {
        let axisIndex = try normalizedAxis(axis, operation: "mean")
        return try sum(axis: axisIndex, keepDims: keepDims) * (1 / Float(Swift.max(shape[axisIndex], 1)))
    }

    /// Turns a possibly negative axis into an index, or throws naming the operation.
    func normalizedAxis(_ axis: Int, operation: String) throws -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0 && resolved < rank else {
            throw EngineError.invalid("\(operation): axis \(axis) is out of range for a tensor of shape \(shape)")
        }
        return resolved
    }
}
