import Foundation

/// The forward and backward passes that every technique shares, with the checks that turn a
/// wrong layer name or class index into an error that says what exists.
struct NetworkProbe {
    let network: Network
    /// The builtin's name, for error messages ("saliency: ...").
    let technique: String
    /// The network's smallest input side, measured once per probe however many images it takes.
    private let floor = MeasuredFloor()

    private final class MeasuredFloor {
        var side: Int?
    }

    /// Description of a layer; the error lists the network's layer names.
    func layer(_ name: String) throws -> LayerInfo {
        guard let info = network.layers.first(where: { $0.name == name }) else {
            let names = network.layers.map(\.name).joined(separator: ", ")
            throw EngineError.invalid("\(technique): \(network.name) has no layer '\(name)'; its layers are \(names)")
        }
        return info
    }

    /// The preprocessed image, checked to be one item of the network's input shape. An image
    /// whose short side is below the network's floor is refused (`ImageTooSmall`): stretched to
    /// the input, it would show the network nothing but interpolation.
    func input(_ image: Image) throws -> Tensor {
        let (height, width) = network.inputSize
        if image.height != height || image.width != width {
            let minimum = try floor.side ?? NetworkInputFloor.minimumSide(of: network)
            floor.side = minimum
            try NetworkInputFloor.check(height: image.height, width: image.width, minimum: minimum, role: .image,
                                        network: network, layer: nil)
        }
        let tensor = try network.preprocess(image)
        guard tensor.shape == [1, network.inputChannels, height, width] else {
            throw EngineError.shapeMismatch("\(technique): \(network.name) preprocessed the image to \(tensor.shape), expected [1, \(network.inputChannels), \(height), \(width)]")
        }
        return tensor
    }

    /// The requested class, or the top-scoring one when nil; checked against the class count.
    func resolveClass(_ requested: Int?, logits: ArraySlice<Float>) throws -> Int {
        guard let requested else {
            var best = logits.startIndex
            for index in logits.indices where logits[index] > logits[best] { best = index }
            return best - logits.startIndex
        }
        guard requested >= 0, requested < logits.count else {
            throw EngineError.invalid("\(technique): class \(requested) is outside 0..<\(logits.count) for \(network.name)")
        }
        return requested
    }

    /// The softmax of one item's logits, shifted by their maximum so exp cannot overflow.
    static func softmax(_ logits: ArraySlice<Float>) -> [Float] {
        let top = logits.max() ?? 0
        let exps = logits.map { Float(exp(Double($0 - top))) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }

    /// Checks a forward output is [N, K] logits and returns K.
    func classCount(of logits: Tensor, batch: Int) throws -> Int {
        let classes = logits.count / max(batch, 1)
        guard logits.shape.first == batch, classes > 0, logits.count == batch * classes else {
            throw EngineError.shapeMismatch("\(technique): \(network.name) returned \(logits.shape), expected [\(batch), classes]")
        }
        return classes
    }

    /// Runs `input` (a batch of N items) forward and backward from `target` under `rule`.
    ///
    /// For a class score every item is seeded at that class; for a unit, every item at the
    /// position of its own largest value in the channel. The layers in `capture` come back with
    /// their values and, after the backward pass, their `grad`.
    func backpropagate(_ input: Tensor, target: GradientTarget, rule: ReLURule,
                       capture: Set<String> = []) throws -> BackpropagationPass {
        let batch = input.shape.first ?? 1
        input.requiresGrad = true
        input.grad = nil
        switch target {
        case .classScore(let requested), .classProbability(let requested):
            let (logits, activations) = try network.forward(input, capture: capture, until: nil)
            let classes = try classCount(of: logits, batch: batch)
            let classIndex = try resolveClass(requested, logits: logits.data[0..<classes])
            var seed = [Float](repeating: 0, count: logits.count)
            for item in 0..<batch {
                let base = item * classes
                guard target.isProbability else { seed[base + classIndex] = 1; continue }
                // d p_c / d z_j = p_c (delta_cj - p_j): the softmax Jacobian's row c seeds the logits.
                let p = Self.softmax(logits.data[base..<(base + classes)])
                for j in 0..<classes { seed[base + j] = p[classIndex] * ((j == classIndex ? 1 : 0) - p[j]) }
            }
            try logits.backward(seed: seed, rule: rule)
            return BackpropagationPass(input: input, activations: activations, logits: logits,
                                       classIndex: classIndex, unit: nil)
        case let .unit(layerName, channel):
            return try backpropagateUnit(input, layer: layerName, channel: channel, at: nil, rule: rule, capture: capture)
        case let .position(layerName, channel, y, x):
            return try backpropagateUnit(input, layer: layerName, channel: channel, at: (y, x), rule: rule, capture: capture)
        }
    }

    /// Seeds one unit per item of channel `channel` of `layerName`: at `position` when given,
    /// else at the item's largest value in the channel.
    private func backpropagateUnit(_ input: Tensor, layer layerName: String, channel: Int, at position: (y: Int, x: Int)?,
                                   rule: ReLURule, capture: Set<String>) throws -> BackpropagationPass {
        let batch = input.shape.first ?? 1
        let info = try layer(layerName)
        let (output, activations) = try network.forward(input, capture: capture.union([layerName]), until: layerName)
        let layerTensor = activations[layerName] ?? output
        guard layerTensor.rank == 4, layerTensor.shape[0] == batch else {
            throw EngineError.unsupported("\(technique): layer '\(layerName)' (\(info.kind)) has shape \(layerTensor.shape); a unit needs a convolutional [N, C, H, W] layer")
        }
        let (channels, height, width) = (layerTensor.shape[1], layerTensor.shape[2], layerTensor.shape[3])
        guard channel >= 0, channel < channels else {
            throw EngineError.invalid("\(technique): channel \(channel) is outside 0..<\(channels) of layer '\(layerName)'")
        }
        var seed = [Float](repeating: 0, count: layerTensor.count)
        var unit = UnitLocation(layer: layerName, channel: channel, y: 0, x: 0, value: 0)
        if let position, !(0..<height).contains(position.y) || !(0..<width).contains(position.x) {
            throw EngineError.invalid("\(technique): position (\(position.y), \(position.x)) is outside the \(height)x\(width) grid of layer '\(layerName)'")
        }
        for item in 0..<batch {
            let base = (item * channels + channel) * height * width
            var best = base
            if let position {
                best = base + position.y * width + position.x
            } else {
                for index in base..<(base + height * width) where layerTensor.data[index] > layerTensor.data[best] { best = index }
            }
            seed[best] = 1
            if item == 0 {
                unit = UnitLocation(layer: layerName, channel: channel, y: (best - base) / width,
                                    x: (best - base) % width, value: layerTensor.data[best])
            }
        }
        try layerTensor.backward(seed: seed, rule: rule)
        return BackpropagationPass(input: input, activations: activations, logits: nil, classIndex: nil, unit: unit)
    }
}

/// What `NetworkProbe.backpropagate` leaves behind.
struct BackpropagationPass {
    /// The input, whose `grad` holds d target / d input.
    let input: Tensor
    let activations: [String: Tensor]
    let logits: Tensor?
    let classIndex: Int?
    let unit: UnitLocation?

    var inputGradient: [Float] { input.grad ?? [Float](repeating: 0, count: input.count) }
}
