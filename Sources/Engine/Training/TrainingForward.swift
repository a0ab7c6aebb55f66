/// The forward pass in training mode, over the unfolded graph.
extension TrainableNetwork {
    /// Runs x ([N] + inputShape) to `logitsNode` with autodiff recording: dropout draws its
    /// mask from `random` (one uniform per value, nodes in graph order, so a seed fixes every
    /// mask), batch norm normalises with the batch's statistics and updates its running mean
    /// and variance in place with `batchNormMomentum` (PyTorch's convention: running =
    /// (1 − m) · running + m · batch, m = 0.1, the variance unbiased). Every other node runs
    /// as at inference. Errors of the ops come back naming the node.
    func trainingForward(_ x: Tensor, random: inout SeededRandom, batchNormMomentum: Float = 0.1) throws -> Tensor {
        try walk(x) { node, inputs in
            switch node.op {
            case .dropout(let p) where p > 0:
                guard let input = inputs.first else { throw EngineError.invalid("dropout takes one input") }
                return try input.masked(by: try Tensor.dropoutMask(count: input.count, probability: p, random: &random))
            case .batchNorm(let epsilon):
                guard let input = inputs.first, let mean = node.parameters["mean"], let variance = node.parameters["variance"] else {
                    throw EngineError.invalid("batch norm lacks its input or running statistics")
                }
                return try input.batchNormTraining(gamma: node.parameters["gamma"], beta: node.parameters["beta"],
                                                   eps: epsilon, runningMean: mean, runningVariance: variance,
                                                   momentum: batchNormMomentum)
            default:
                return try node.apply(inputs)
            }
        }
    }

    /// The logits for x without recording gradients: inference semantics (running batch
    /// statistics, no dropout) on the live weights, for validation during training.
    func inferenceForward(_ x: Tensor) throws -> Tensor {
        try walk(x) { node, inputs in try node.apply(inputs) }
    }

    /// Runs the graph in order up to `logitsNode`, computing each node with `rule`; an op's
    /// error comes back naming the node and its input shapes.
    private func walk(_ x: Tensor, rule: (LayerNode, [Tensor]) throws -> Tensor) throws -> Tensor {
        let target = logitsNode
        var values = [LayerGraph.inputName: x]
        for node in graph.nodes {
            let inputs = node.inputs.compactMap { values[$0] }
            do {
                values[node.name] = try rule(node, inputs)
            } catch let error as EngineError {
                throw LayerGraph.naming(node, inputShapes: inputs.map(\.shape), error)
            }
            if node.name == target { break }
        }
        guard let output = values[target] else { throw EngineError.invalid("\(name): the output '\(target)' was not computed") }
        return output
    }

    /// Logits for x ([N] + inputShape) with inference semantics on the live weights, recording
    /// no gradients (safe to call from a progress callback in the middle of training).
    public func predict(_ x: Tensor) throws -> Tensor {
        let parameters = trainableParameters.map(\.tensor)
        let recording = parameters.map(\.requiresGrad)
        for tensor in parameters { tensor.requiresGrad = false }
        defer { for (tensor, flag) in zip(parameters, recording) { tensor.requiresGrad = flag } }
        return try inferenceForward(x)
    }
}
