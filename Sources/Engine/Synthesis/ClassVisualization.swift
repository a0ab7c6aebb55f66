/// Class visualization and activation maximization by gradient ascent on the image (lecture 000,
/// 1.12-1.14; lecture 003, "gradient ascent"; lecture 004, "class score optimization").
///
/// Start from the network's mean colour (plus a little seeded noise), and repeat: shift the
/// image by a random jitter, compute the objective's gradient with respect to the pixels,
/// shift it back, step along it, and apply the regularizer. The step is the gradient divided
/// by its mean magnitude, so one learning rate works for every network and class.
public enum ClassVisualization {
    public struct Options: Sendable {
        /// Gradient ascent steps.
        public static let stepRange = NumberRange.closed(1, 10_000)
        /// Step size in pixel units: above 0, at most a full pixel range.
        public static let rateRange = NumberRange.aboveUpTo(0, 1)
        public var steps: Int = 200
        /// Step size in pixel units (0...1) for a gradient of mean magnitude 1.
        public var rate: Float = 0.05
        public var regularizer: ImageRegularizer = .l2PlusPlus
        public var seed: UInt64 = 0
        /// Standard deviation of the starting noise around the mean colour.
        public var startNoise: Float = 0.02
        /// A picture is passed to `progress` every this many steps.
        public var snapshotEvery: Int = 10
        public init(steps: Int = 200, rate: Float = 0.05, regularizer: ImageRegularizer = .l2PlusPlus, seed: UInt64 = 0) {
            self.steps = steps
            self.rate = rate
            self.regularizer = regularizer
            self.seed = seed
        }
    }

    /// (steps done, total, the current image when a snapshot is due).
    public typealias Progress = (_ step: Int, _ total: Int, _ image: Image?) -> Void

    public static func run(network: Network, objective: SynthesisObjective, options: Options = Options(),
                           progress: Progress? = nil) throws -> SynthesisResult {
        try Options.stepRange.check(options.steps, "steps", in: "visualize")
        try Options.rateRange.check(options.rate, "rate", in: "visualize")
        let space = try InputSpace(network: network)
        let (height, width) = network.inputSize
        let channels = space.imageChannels
        let base = try network.deprocess(try Tensor(zeros: [1, network.inputChannels, height, width])).pixels
        let regularizer = options.regularizer
        var random = SeededRandom(seed: options.seed)
        // The image is base + offset; the regularizers act on the offset, so "zero" is the mean colour.
        var offset = (0..<base.count).map { _ in random.normal(mean: 0, standardDeviation: options.startNoise) }
        clampToImage(&offset, base: base)
        var scores: [Float] = []
        scores.reserveCapacity(options.steps)

        for step in 1...options.steps {
            try Cancellation.check()
            let (dy, dx) = ImagePrior.jitter(regularizer.jitter, random: &random)
            let shifted = ImagePrior.rolled(offset, height: height, width: width, channels: channels, dy: dy, dx: dx)
            let (score, shiftedGradient) = try gradient(network: network, objective: objective, space: space,
                                                        pixels: zip(base, shifted).map(+), height: height, width: width)
            scores.append(score)
            let gradient = ImagePrior.rolled(shiftedGradient, height: height, width: width, channels: channels, dy: -dy, dx: -dx)
            let scale = ImagePrior.stepScale(gradient, rate: options.rate)
            for index in offset.indices {
                offset[index] = (offset[index] + scale * gradient[index]) * (1 - regularizer.decay)
            }
            if regularizer.blurEvery > 0, step % regularizer.blurEvery == 0 {
                ImagePrior.gaussianBlur(&offset, height: height, width: width, channels: channels, sigma: regularizer.blurSigma)
            }
            ImagePrior.zeroBelowPercentile(&offset, scores: ImagePrior.pixelNorms(offset, channels: channels),
                                           channels: channels, percentile: regularizer.normPercentile)
            ImagePrior.zeroBelowPercentile(&offset, scores: ImagePrior.contributions(offset, gradient: gradient, channels: channels),
                                           channels: channels, percentile: regularizer.contributionPercentile)
            clampToImage(&offset, base: base)
            if let progress {
                let due = step % Swift.max(1, options.snapshotEvery) == 0 || step == options.steps
                progress(step, options.steps, due ? try Image(width: width, height: height, channels: channels,
                                                              pixels: zip(base, offset).map(+)) : nil)
            }
        }
        let finalPixels = zip(base, offset).map(+)
        let (finalScore, _) = try gradient(network: network, objective: objective, space: space,
                                           pixels: finalPixels, height: height, width: width)
        return SynthesisResult(image: try Image(width: width, height: height, channels: channels, pixels: finalPixels),
                               objective: objective.label(network), network: network.name,
                               regularizer: regularizer, scores: scores + [finalScore])
    }

    /// The objective and its gradient with respect to the image's pixels (HWC).
    static func gradient(network: Network, objective: SynthesisObjective, space: InputSpace,
                         pixels: [Float], height: Int, width: Int) throws -> (Float, [Float]) {
        let image = try Image(width: width, height: height, channels: space.imageChannels, pixels: pixels)
        let input = try network.preprocess(image)
        let score = try objective.backpropagate(network: network, input: input)
        let gradient = space.imageGradient(input.grad ?? [Float](repeating: 0, count: input.count), height: height, width: width)
        input.releaseGraph()
        return (score, gradient)
    }

    /// Keeps base + offset inside the valid pixel range 0...1.
    static func clampToImage(_ offset: inout [Float], base: [Float]) {
        for index in offset.indices {
            offset[index] = Swift.min(Swift.max(offset[index], -base[index]), 1 - base[index])
        }
    }
}
