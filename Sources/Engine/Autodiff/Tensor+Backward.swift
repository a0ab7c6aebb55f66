/// Reverse-mode differentiation over the recorded graph.
extension Tensor {
    /// Propagates gradients from this tensor to every tensor of its graph that requires one.
    ///
    /// - Parameters:
    ///   - seed: dLoss/dself, one value per element; nil means all ones (the usual choice for
    ///     a scalar loss). Starting from an intermediate layer with a seed is how techniques
    ///     "set the gradient at a layer": the activation itself (DeepDream) or a one-hot
    ///     at one neuron (saliency, guided backprop).
    ///   - rule: the backward rule of every ReLU and ReLU6 in the graph (lecture 004).
    ///
    /// Leaves (inputs, weights) accumulate into `grad` across calls: call `zeroGrad` between
    /// optimisation steps. Intermediate tensors are reset at the start of each call, so their
    /// `grad` afterwards holds this call's gradient only.
    /// Throws if the seed has the wrong size, if nothing requires a gradient, or if cancelled.
    public func backward(seed: [Float]? = nil, rule: ReLURule = .standard) throws {
        guard requiresGrad else {
            throw EngineError.invalid("backward: \(name ?? "this tensor") does not depend on any tensor with requiresGrad = true")
        }
        if let seed, seed.count != count {
            throw EngineError.shapeMismatch("backward: seed has \(seed.count) values, tensor \(shape) has \(count)")
        }
        let order = topologicalOrder()
        for node in order where node.backwardFunction != nil {
            node.grad = nil
        }
        accumulateGradient(seed ?? [Float](repeating: 1, count: count))
        // Reverse topological order: every consumer of a node runs before the node itself,
        // so its gradient is complete when it is passed on.
        for node in order.reversed() {
            try Cancellation.check()
            guard let backwardFunction = node.backwardFunction, var gradient = node.grad else { continue }
            if let hook = node.gradientHook {
                hook(&gradient)
                node.grad = gradient
            }
            backwardFunction(gradient, rule)
        }
    }

    /// Clears `grad` on this tensor and every tensor it was computed from.
    public func zeroGrad() {
        for node in topologicalOrder() { node.grad = nil }
        grad = nil
    }

    /// Drops the recorded graph below this tensor (keeps values and grad), freeing
    /// the intermediate tensors once nothing else refers to them.
    public func releaseGraph() {
        parents = []
        backwardFunction = nil
    }
}
