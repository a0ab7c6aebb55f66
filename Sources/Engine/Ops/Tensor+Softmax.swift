import Foundation

/// Softmax, log-softmax and cross-entropy, computed stably (maximum subtracted first).
extension Tensor {
    /// exp(x) / Σ exp(x) along `axis`.
    public func softmax(axis: Int = -1) throws -> Tensor {
        let (outer, length, inner) = try axisLayout(axis, operation: "softmax")
        var values = [Float](repeating: 0, count: count)
        forEachLane(outer: outer, length: length, inner: inner) { lane in
            let maximum = lane.map { data[$0] }.max() ?? 0
            var total: Double = 0
            for index in lane {
                values[index] = Foundation.exp(data[index] - maximum)
                total += Double(values[index])
            }
            for index in lane { values[index] = Float(Double(values[index]) / total) }
        }
        let input = self
        return Tensor.makeResult(shape: shape, data: values, parents: [input]) { outputGradient, _ in
            // dx_i = y_i · (g_i - Σ_j g_j y_j)
            var inputGradient = [Float](repeating: 0, count: values.count)
            input.forEachLane(outer: outer, length: length, inner: inner) { lane in
                var dot: Float = 0
                for index in lane { dot += outputGradient[index] * values[index] }
                for index in lane { inputGradient[index] = values[index] * (outputGradient[index] - dot) }
            }
            input.accumulateGradient(inputGradient)
        }
    }

    /// x - log Σ exp(x) along `axis`.
    public func logSoftmax(axis: Int = -1) throws -> Tensor {
        let (outer, length, inner) = try axisLayout(axis, operation: "logSoftmax")
        var values = [Float](repeating: 0, count: count)
        forEachLane(outer: outer, length: length, inner: inner) { lane in
            let maximum = lane.map { data[$0] }.max() ?? 0
            var total: Double = 0
            for index in lane { total += Double(Foundation.exp(data[index] - maximum)) }
            // (x - max) - log Σ: adding max back first would round away digits for large logits.
            let logTotal = Float(Foundation.log(total))
            for index in lane { values[index] = (data[index] - maximum) - logTotal }
        }
        let input = self
        return Tensor.makeResult(shape: shape, data: values, parents: [input]) { outputGradient, _ in
            // dx_i = g_i - softmax_i · Σ_j g_j
            var inputGradient = [Float](repeating: 0, count: values.count)
            input.forEachLane(outer: outer, length: length, inner: inner) { lane in
                var total: Float = 0
                for index in lane { total += outputGradient[index] }
                for index in lane { inputGradient[index] = outputGradient[index] - Foundation.exp(values[index]) * total }
            }
            input.accumulateGradient(inputGradient)
        }
    }

    /// Mean negative log-likelihood of `labels` under logits [N, K]; shape `[1]`.
    public func crossEntropy(labels: [Int]) throws -> Tensor {
        guard rank == 2 else { throw EngineError.shapeMismatch("crossEntropy: logits must be [N, K], got \(shape)") }
        let batch = shape[0], classes = shape[1]
        guard labels.count == batch else {
            throw EngineError.shapeMismatch("crossEntropy: \(labels.count) labels for a batch of \(batch)")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw EngineError.invalid("crossEntropy: label \(labels[bad]) at position \(bad) is outside 0..<\(classes)")
        }
        guard batch > 0 else { throw EngineError.invalid("crossEntropy: empty batch") }
        let logProbabilities = try logSoftmax(axis: 1)
        var oneHot = [Float](repeating: 0, count: count)
        for (row, label) in labels.enumerated() { oneHot[row * classes + label] = -1 / Float(batch) }
        let weights = Tensor(validShape: shape, data: oneHot)
        return try (logProbabilities * weights).sum()
    }

    /// Splits the shape around `axis` into (outer, length, inner) for lane-wise loops.
    func axisLayout(_ axis: Int, operation: String) throws -> (Int, Int, Int) {
        let axis = try normalizedAxis(axis, operation: operation)
        return (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Calls `body` with the flat indices of each 1-D lane along the axis.
    func forEachLane(outer: Int, length: Int, inner: Int, _ body: (StrideTo<Int>) -> Void) {
        for o in 0..<outer {
            for i in 0..<inner {
                let start = o * length * inner + i
                body(Swift.stride(from: start, to: start + length * inner, by: inner))
            }
        }
    }
}
