import Foundation

/// The losses `Trainer` minimises, each a scalar ([1]) with a fused backward pass.
extension Tensor {
    /// Mean softmax cross-entropy of logits [N, K] against class `labels`:
    /// L = −(1/N) Σ_n log softmax(z_n)[y_n], computed with the max subtracted per row
    /// (log-sum-exp) so large logits do not overflow. Backward: dL/dz = (softmax(z) − onehot(y)) / N,
    /// in one pass (the textbook result, e.g. CS231n's softmax classifier notes).
    /// Also returns the per-row probabilities, which the trainer reads for accuracy.
    /// Throws `EngineError.shapeMismatch` / `.invalid` for a non-[N, K] input, a label count
    /// other than N, or a label outside 0..<K.
    public func softmaxCrossEntropy(labels: [Int]) throws -> (loss: Tensor, probabilities: [Float]) {
        guard rank == 2, shape[0] > 0, shape[1] > 0 else {
            throw EngineError.shapeMismatch("softmax cross-entropy: logits must be [N, K], got \(shape)")
        }
        let (batch, classes) = (shape[0], shape[1])
        guard labels.count == batch else {
            throw EngineError.shapeMismatch("softmax cross-entropy: \(labels.count) labels for a batch of \(batch)")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw EngineError.invalid("softmax cross-entropy: label \(labels[bad]) at position \(bad) is outside the \(classes) classes")
        }
        var probabilities = [Float](repeating: 0, count: count)
        var total: Double = 0
        data.withUnsafeBufferPointer { z in
            for row in 0..<batch {
                let base = row * classes
                var largest = z[base]
                for k in 1..<classes { largest = Swift.max(largest, z[base + k]) }
                var sum: Float = 0
                for k in 0..<classes {
                    let e = Foundation.exp(z[base + k] - largest)
                    probabilities[base + k] = e
                    sum += e
                }
                for k in 0..<classes { probabilities[base + k] /= sum }
                total += Double(Foundation.log(sum) - (z[base + labels[row]] - largest))
            }
        }
        let logits = self
        let loss = Tensor.makeResult(shape: [1], data: [Float(total / Double(batch))], parents: [logits]) { outputGradient, _ in
            let scale = outputGradient[0] / Float(batch)
            var gradient = probabilities
            for row in 0..<batch { gradient[row * classes + labels[row]] -= 1 }
            for index in gradient.indices { gradient[index] *= scale }
            logits.accumulateGradient(gradient)
        }
        return (loss, probabilities)
    }

    /// Mean squared error (1/M) Σ (x − target)² over all M elements, against a target of the
    /// same element count. Backward: dL/dx = 2 (x − target) / M.
    /// Throws `EngineError.shapeMismatch` when the element counts differ.
    public func meanSquaredError(target: [Float]) throws -> Tensor {
        guard target.count == count, count > 0 else {
            throw EngineError.shapeMismatch("mean squared error: prediction \(shape) has \(count) values, target has \(target.count)")
        }
        var total: Double = 0
        for (x, t) in zip(data, target) { total += Double(x - t) * Double(x - t) }
        let prediction = self
        let elements = Float(count)
        return Tensor.makeResult(shape: [1], data: [Float(total / Double(count))], parents: [prediction]) { outputGradient, _ in
            let scale = 2 * outputGradient[0] / elements
            prediction.accumulateGradient(zip(prediction.data, target).map { ($0 - $1) * scale })
        }
    }
}
