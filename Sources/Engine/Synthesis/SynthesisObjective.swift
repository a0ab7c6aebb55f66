import Foundation

/// What an image is optimised to excite (lecture 000, 1.12-1.15, design choice 1; lecture 003,
/// gradient ascent).
public enum SynthesisObjective: Equatable, Sendable {
    /// A class score before the softmax (the logit): Simonyan et al. maximise S_c, not the
    /// probability, which could also rise by lowering every other class.
    case classScore(Int)
    /// A class probability after the softmax, p_c = exp(S_c) / sum_k exp(S_k): lecture 000 section
    /// 1.13 shows why it is not used, since p_c rises fastest by lowering the other logits.
    case classProbability(Int)
    /// One value of a layer, n[channel, y, x] of an [N, C, H, W] layer (y and x are ignored for a
    /// vector layer [N, C]).
    case neuron(layer: String, channel: Int, y: Int, x: Int)
    /// The mean of one channel of a layer over its positions: a feature wherever it appears.
    case channel(layer: String, channel: Int)
    /// The whole layer's mean squared activation, mean(a^2): its gradient is proportional to the
    /// activation itself, which is DeepDream's objective (Mordvintsev et al. 2015).
    case layerNorm(layer: String)

    /// One evaluation: the objective and, for the class objectives, the logits it was read from
    /// (so a run can trace the target's logit against the others').
    public struct Evaluation: Sendable {
        public var value: Float
        public var logits: [Float]?
    }

    /// The class a class objective names, nil for the layer objectives.
    public var classIndex: Int? {
        switch self {
        case .classScore(let index), .classProbability(let index): return index
        default: return nil
        }
    }

    /// Runs `input` ([1, C, H, W]) forward, seeds the backward pass with d objective / d output
    /// and returns the objective's value; `input.grad` then holds its gradient.
    func backpropagate(network: Network, input: Tensor) throws -> Float {
        try evaluate(network: network, input: input).value
    }

    /// As `backpropagate`, keeping the logits of a class objective.
    /// - Throws: `EngineError.invalid` for a class, channel or position outside the network's
    ///   output or layer; `EngineError.unsupported` for a layer of the wrong rank.
    func evaluate(network: Network, input: Tensor) throws -> Evaluation {
        input.requiresGrad = true
        input.grad = nil
        switch self {
        case .classScore(let classIndex), .classProbability(let classIndex):
            let (logits, _) = try network.forward(input, capture: [], until: nil)
            guard classIndex >= 0, classIndex < logits.count else {
                throw EngineError.invalid("visualize: class \(classIndex) is outside 0..<\(logits.count) for \(network.name)")
            }
            let scores = Array(logits.data.prefix(logits.count))
            var seed = [Float](repeating: 0, count: logits.count)
            let value: Float
            if case .classProbability = self {
                // d p_c / d S_k = p_c (delta_ck - p_k), with the softmax computed stably.
                let probabilities = SynthesisObjective.softmax(scores)
                value = probabilities[classIndex]
                for index in seed.indices { seed[index] = -value * probabilities[index] }
                seed[classIndex] += value
            } else {
                value = scores[classIndex]
                seed[classIndex] = 1
            }
            try logits.backward(seed: seed)
            return Evaluation(value: value, logits: scores)
        case let .neuron(layer, channel, y, x):
            let values = try activation(of: layer, network: network, input: input)
            let channels = values.shape[1]
            guard channel >= 0, channel < channels else {
                throw EngineError.invalid("visualize: channel \(channel) is outside 0..<\(channels) of layer '\(layer)'")
            }
            var index = channel
            if values.rank == 4 {
                let (height, width) = (values.shape[2], values.shape[3])
                guard y >= 0, y < height, x >= 0, x < width else {
                    throw EngineError.invalid("visualize: position (y \(y), x \(x)) is outside layer '\(layer)' of \(height)x\(width)")
                }
                index = (channel * height + y) * width + x
            }
            var seed = [Float](repeating: 0, count: values.count)
            seed[index] = 1
            let value = values.data[index]
            try values.backward(seed: seed)
            return Evaluation(value: value, logits: nil)
        case let .channel(layer, channel):
            let values = try activation(of: layer, network: network, input: input)
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
            return Evaluation(value: sum / Float(plane), logits: nil)
        case .layerNorm(let layer):
            let values = try activation(of: layer, network: network, input: input)
            let count = Float(values.count)
            var sum: Float = 0
            var seed = [Float](repeating: 0, count: values.count)
            for index in 0..<values.count {
                let value = values.data[index]
                sum += value * value
                seed[index] = 2 * value / count
            }
            try values.backward(seed: seed)
            return Evaluation(value: sum / count, logits: nil)
        }
    }

    /// The captured output of `layer`, [1, C, H, W] or [1, C].
    private func activation(of layer: String, network: Network, input: Tensor) throws -> Tensor {
        let (output, activations) = try network.forward(input, capture: [layer], until: layer)
        let values = activations[layer] ?? output
        guard values.rank == 4 || values.rank == 2 else {
            throw EngineError.unsupported("visualize: layer '\(layer)' has shape \(values.shape); expected [N, C, H, W] or [N, C]")
        }
        return values
    }

    /// exp(s - max) / sum: stable in single precision for logits in the hundreds.
    static func softmax(_ scores: [Float]) -> [Float] {
        let maximum = scores.max() ?? 0
        let exponentials = scores.map { Double(Foundation.exp($0 - maximum)) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { Float($0 / total) }
    }

    public func label(_ network: Network) -> String {
        func className(_ index: Int) -> String {
            index < network.classNames.count ? " \(network.classNames[index])" : ""
        }
        switch self {
        case .classScore(let index):
            return "class \(index)\(className(index))"
        case .classProbability(let index):
            return "p(class \(index)\(className(index)))"
        case let .neuron(layer, channel, y, x):
            return "\(layer)[\(channel), \(y), \(x)]"
        case let .channel(layer, channel):
            return "\(layer) channel \(channel)"
        case .layerNorm(let layer):
            return "\(layer) L2"
        }
    }
}
