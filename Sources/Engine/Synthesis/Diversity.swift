import Foundation

/// Diversity (lecture 000 sections 1.19-1.20; Olah, Mordvintsev and Schubert 2017, "Feature
/// Visualization", Distill, "Diversity"): `count` images of one channel optimized together so they
/// show different facets of it. The objective, ascended by Adam,
///
///     J = sum_i mean(channel of image i) - weight * sum_{i<j} cos(G_i, G_j)
///
/// rewards each image for exciting the channel and penalises pairs whose Gram matrices (style) at
/// the layer below agree (`GramDiversity`). Each image is a Fourier parameterization with
/// decorrelated colour, and each step shows the network an independently drawn random transform
/// of each image, as `FourierVisualization` does for one.
public enum Diversity {
    public struct Options: Sendable {
        public static let countRange = NumberRange.closed(2, 16)
        public static let weightRange = NumberRange.closed(0, 1e6)
        public var count = 4
        /// The penalty's weight. 200 is lucid's 1e2 on this objective's scale: lucid averages the
        /// channel over the batch (here summed, x count) and counts each pair twice over the batch
        /// (here once, x count / 2), so 1e2 there is 1e2 * count / (count / 2) = 200 here.
        public var weight: Float = 200
        public var steps = 512
        /// Adam's learning rate on the spectrum (lucid's 0.05).
        public var rate: Float = 0.05
        public var seed: UInt64 = 0
        /// The layer whose Gram matrices are compared; nil: the last [C, H, W] layer before the target.
        public var gramLayer: String?
        /// How often (in steps) the progress callback receives the images.
        public var snapshotEvery = 16
        public init(count: Int = 4, weight: Float = 200, steps: Int = 512, seed: UInt64 = 0) {
            self.count = count
            self.weight = weight
            self.steps = steps
            self.seed = seed
        }
    }

    public struct Result {
        public let images: [Image]
        public let layer: String
        public let channel: Int
        public let gramLayer: String
        /// J before each step (steps values; fewer when interrupted).
        public let objective: [Float]
        /// The mean pairwise Gram cosine similarity before each step, then of the final images.
        public let similarity: [Float]
        public let interrupted: Bool
    }

    /// `progress(step, total, images or nil, J)`.
    public typealias Progress = (_ step: Int, _ total: Int, _ images: [Image]?, _ objective: Float) -> Void

    /// The last layer before `layer` (in the network's order) with a [C, H, W] output.
    /// - Throws: `EngineError.invalid` for an unknown layer or when none lies below it.
    public static func layerBelow(_ layer: String, in network: Network) throws -> String {
        let layers = network.layers
        guard let index = layers.firstIndex(where: { $0.name == layer }) else {
            throw EngineError.invalid("diversity: \(network.name) has no layer '\(layer)'")
        }
        guard let below = layers[..<index].last(where: { $0.outputShape.count == 3 }) else {
            throw EngineError.invalid("diversity: no [C, H, W] layer lies below '\(layer)' in \(network.name) to compare Gram matrices at")
        }
        return below.name
    }

    /// Runs the optimization. An interrupt (`Cancellation`) returns the images so far.
    /// - Throws: `EngineError` for settings out of range, an unknown layer or channel.
    public static func run(network: Network, layer: String, channel: Int, options: Options = Options(),
                           progress: Progress? = nil) throws -> Result {
        try Options.countRange.check(options.count, "count", in: "diversity")
        try Options.weightRange.check(options.weight, "weight", in: "diversity")
        try ClassVisualization.Options.stepRange.check(options.steps, "steps", in: "diversity")
        let gramLayer = try options.gramLayer ?? layerBelow(layer, in: network)
        let space = try InputSpace(network: network)
        let (height, width) = network.inputSize
        let channels = space.imageChannels
        let parameterization = try FourierParameterization(height: height, width: width, channels: channels)
        var random = SeededRandom(seed: options.seed)
        var spectra = (0..<options.count).map { _ in
            (0..<parameterization.parameterCount).map { _ in random.normal(mean: 0, standardDeviation: 0.01) }
        }
        var adams = (0..<options.count).map { _ in AdamState(count: parameterization.parameterCount) }
        let transforms = TransformRobustness()
        func pixels(_ item: Int) -> [Float] { ColorDecorrelation.pixels(parameterization.image(spectra[item]), channels: channels) }
        func images() throws -> [Image] {
            try (0..<options.count).map { try Image(width: width, height: height, channels: channels, pixels: pixels($0)) }
        }
        var objective: [Float] = [], similarity: [Float] = []
        var interrupted = false
        for step in 1...options.steps {
            do {
                try Cancellation.check()
                let current = (0..<options.count).map(pixels)
                let warps = (0..<options.count).map { _ in transforms.draw(height: height, width: width, random: &random) }
                let views = (0..<options.count).map { warps[$0].apply(current[$0], height: height, width: width, channels: channels) }
                let (value, meanSimilarity, gradients) = try evaluate(network: network, space: space, views: views, height: height,
                                                                      width: width, layer: layer, channel: channel,
                                                                      gramLayer: gramLayer, weight: options.weight)
                objective.append(value)
                similarity.append(meanSimilarity)
                for item in 0..<options.count {
                    let imageGradient = warps[item].backward(gradients[item], height: height, width: width, channels: channels)
                    let decorrelated = ColorDecorrelation.backward(pixels: current[item], gradient: imageGradient, channels: channels)
                    // Adam descends: ascend J by descending -J.
                    adams[item].step(&spectra[item], gradient: parameterization.backward(decorrelated).map { -$0 }, rate: options.rate)
                }
                if let progress {
                    let due = step % Swift.max(1, options.snapshotEvery) == 0 || step == options.steps
                    progress(step, options.steps, due ? try images() : nil, value)
                }
            } catch EngineError.cancelled {
                interrupted = true
                break
            }
        }
        let final = try images()
        if !interrupted {
            do {
                similarity.append(try gramSimilarity(network: network, images: final, gramLayer: gramLayer))
            } catch EngineError.cancelled {
                interrupted = true
            }
        }
        return Result(images: final, layer: layer, channel: channel, gramLayer: gramLayer, objective: objective,
                      similarity: similarity, interrupted: interrupted)
    }

    /// J for a batch of views (HWC pixels) and dJ/d view for each, with the mean pairwise similarity.
    static func evaluate(network: Network, space: InputSpace, views: [[Float]], height: Int, width: Int, layer: String,
                         channel: Int, gramLayer: String, weight: Float) throws -> (Float, Float, [[Float]]) {
        var inputs: [Tensor] = [], targets: [Tensor] = [], lowers: [Tensor] = []
        defer { for input in inputs { input.releaseGraph() }; for tensor in targets + lowers { tensor.releaseGraph() } }
        for view in views {
            let input = try network.preprocess(try Image(width: width, height: height, channels: space.imageChannels, pixels: view))
            input.requiresGrad = true
            input.grad = nil
            let (output, activations) = try network.forward(input, capture: [layer, gramLayer], until: layer)
            let target = activations[layer] ?? output
            guard let lower = activations[gramLayer], lower.rank == 4 else {
                throw EngineError.unsupported("diversity: layer '\(gramLayer)' has no [N, C, H, W] output to take Gram matrices of")
            }
            guard target.rank == 4, channel >= 0, channel < target.shape[1] else {
                throw EngineError.invalid("diversity: channel \(channel) is outside layer '\(layer)' of shape \(target.shape)")
            }
            inputs.append(input)
            targets.append(target)
            lowers.append(lower)
        }
        let (gramChannels, positions) = (lowers[0].shape[1], lowers[0].shape[2] * lowers[0].shape[3])
        let (penalty, penaltyGradients) = GramDiversity.penalty(lowers.map { Array($0.data.prefix($0.count)) },
                                                                channels: gramChannels, positions: positions)
        var total = -weight * penalty
        var gradients: [[Float]] = []
        for item in views.indices {
            let target = targets[item]
            let plane = target.shape[2] * target.shape[3]
            var seed = [Float](repeating: 0, count: target.count)
            for index in (channel * plane)..<((channel + 1) * plane) {
                seed[index] = 1 / Float(plane)
                total += target.data[index] / Float(plane)
            }
            // The input is a leaf, so its gradient sums over both backward passes.
            try target.backward(seed: seed)
            if weight != 0 { try lowers[item].backward(seed: penaltyGradients[item].map { -weight * $0 }) }
            let grad = inputs[item].grad ?? [Float](repeating: 0, count: inputs[item].count)
            gradients.append(space.imageGradient(grad, height: height, width: width))
        }
        let pairs = Float(views.count * (views.count - 1) / 2)
        return (total, pairs > 0 ? penalty / pairs : 0, gradients)
    }

    /// The mean pairwise cosine similarity of the images' Gram matrices at `gramLayer`.
    public static func gramSimilarity(network: Network, images: [Image], gramLayer: String) throws -> Float {
        let grams = try images.map { image -> [Float] in
            let input = try network.preprocess(image)
            let (output, activations) = try network.forward(input, capture: [gramLayer], until: gramLayer)
            let values = activations[gramLayer] ?? output
            guard values.rank == 4 else {
                throw EngineError.unsupported("diversity: layer '\(gramLayer)' has shape \(values.shape); Gram matrices need [N, C, H, W]")
            }
            return GramDiversity.gram(values.data.prefix(values.count), channels: values.shape[1],
                                      positions: values.shape[2] * values.shape[3])
        }
        return GramDiversity.meanSimilarity(grams)
    }
}
