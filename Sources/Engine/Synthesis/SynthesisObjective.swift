/// What an image is optimised to excite (lecture 000, 1.12-1.15; lecture 003, gradient ascent).
public enum SynthesisObjective: Equatable, Sendable {
    /// A class score before the softmax: Simonyan et al. maximise S_c, not the probability,
    /// which could also rise by lowering every other class.
    case classScore(Int)
    /// The mean of one channel of a layer over its positions: a feature wherever it appears.
    case channel(layer: String, channel: Int)

    /// Runs `input` ([1, C, H, W]) forward, seeds the backward pass with d objective / d output
    /// and returns the objective's value; `input.grad` then holds its gradient.
    func backpropagate(network: Network, input: Tensor) throws -> Float {
        input.requiresGrad = true
        input.grad = nil
        switch self {
        case .classScore(let classIndex):
            let (logits, _) = try network.forward(input, capture: [], until: nil)
            guard classIndex >= 0, classIndex < logits.count else {
                throw EngineError.invalid("visualize: class \(classIndex) is outside 0..<\(logits.count) for \(network.name)")
            }
            var seed = [Float](repeating: 0, count: logits.count)
            seed[classIndex] = 1
            try logits.backward(seed: seed)
            return logits.data[classIndex]
        case let .channel(layer, channel):
            let (output, activations) = try network.forward(input, capture: [layer], until: layer)
            let values = activations[layer] ?? output
            guard values.rank == 4 else {
                throw EngineError.unsupported("visualize: layer '\(layer)' has shape \(values.shape); a channel needs an [N, C, H, W] layer")
            }
            let (channels, plane) = (values.shape[1], values.shape[2] * values.shape[3])
            guard channel >= 0, channel < channels else {
                throw EngineError.invalid("visualize: channel \(channel) is outside 0..<\(channels) of layer '\(layer)'")
            }
            var seed = [Float](repeating: 0, count: values.count)
            var sum: Float = 0
            for index in (channel * plane)..<((channel + 1) * plane) {
                seed[index] = 1 / Float(plane)
                sum += values.data[index]
            }
            try values.backward(seed: seed)
            return sum / Float(plane)
        }
    }

    public func label(_ network: Network) -> String {
        switch self {
        case .classScore(let index):
            let name = index < network.classNames.count ? " \(network.classNames[index])" : ""
            return "class \(index)\(name)"
        case let .channel(layer, channel):
            return "\(layer) channel \(channel)"
        }
    }
}
