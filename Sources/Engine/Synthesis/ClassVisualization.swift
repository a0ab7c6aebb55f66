/// Class visualization and activation maximization by gradient ascent on the image (lecture 000,
/// 1.12-1.14; lecture 003, "gradient ascent"; lecture 004, "class score optimization").
///
/// Start from the network's mean colour (`start`: exactly, plus a little seeded noise, or from a
/// photo), and repeat: shift the image by a random jitter, compute the objective's gradient with
/// respect to the pixels, shift it back, step along it, and apply the regularizer. The step is the
/// gradient divided by its mean magnitude, so one learning rate works for every network and class.
/// `regularizer: .fourier` optimises a spectrum instead (`FourierVisualization`).
public enum ClassVisualization {
    /// Design choice 2 of lecture 000 section 1.12: where the optimisation starts.
    public enum Start: Sendable {
        /// The network's mean colour exactly (a zero network input); for the Fourier
        /// parameterization a zero spectrum, grey 0.5.
        case zeros
        /// The mean colour plus seeded Gaussian noise (`startNoise`; lucid's 0.01 on the spectrum
        /// for the Fourier parameterization).
        case noise
        /// A photo, resized to the network's input size and converted to its channels.
        case image(Image)

        public var label: String {
            switch self {
            case .zeros: return "zeros"
            case .noise: return "noise"
            case .image: return "an image"
            }
        }
    }

    public struct Options: Sendable {
        /// Gradient ascent steps.
        public static let stepRange = NumberRange.closed(1, 10_000)
        /// Step size in pixel units: above 0, at most a full pixel range.
        public static let rateRange = NumberRange.aboveUpTo(0, 1)
        public var steps: Int = 200
        /// Step size in pixel units (0...1) for a gradient of mean magnitude 1; for the Fourier
        /// parameterization, Adam's learning rate on the spectrum (lucid's 0.05).
        public var rate: Float = 0.05
        public var regularizer: ImageRegularizer = .l2PlusPlus
        public var seed: UInt64 = 0
        public var start: Start = .noise
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

    /// (steps done, total, the current image when a snapshot is due), for the image loops that share it.
    public typealias Progress = (_ step: Int, _ total: Int, _ image: Image?) -> Void
    /// (steps done, total, the current image when a snapshot is due, the objective at this step).
    public typealias ObjectiveProgress = (_ step: Int, _ total: Int, _ image: Image?, _ objective: Float) -> Void

    /// Runs the optimisation. An interrupt (`Cancellation`) ends it early with what it has,
    /// `interrupted` set.
    /// - Throws: `EngineError` for a bad step count, rate, objective or start image.
    public static func run(network: Network, objective: SynthesisObjective, options: Options = Options(),
                           progress: ObjectiveProgress? = nil) throws -> SynthesisResult {
        try Options.stepRange.check(options.steps, "steps", in: "visualize")
        try Options.rateRange.check(options.rate, "rate", in: "visualize")
        if options.regularizer.parameterization == .fourier {
            return try FourierVisualization.run(network: network, objective: objective, options: options, progress: progress)
        }
        let space = try InputSpace(network: network)
        let (height, width) = network.inputSize
        let channels = space.imageChannels
        let base = try network.deprocess(try Tensor(zeros: [1, network.inputChannels, height, width])).pixels
        let regularizer = options.regularizer
        var random = SeededRandom(seed: options.seed)
        // The image is base + offset; the regularizers act on the offset, so "zero" is the mean colour.
        var offset: [Float]
        switch options.start {
        case .zeros: offset = [Float](repeating: 0, count: base.count)
        case .noise: offset = (0..<base.count).map { _ in random.normal(mean: 0, standardDeviation: options.startNoise) }
        case .image(let image):
            offset = zip(try startPixels(image, width: width, height: height, channels: channels), base).map(-)
        }
        clampToImage(&offset, base: base)
        var trace = Trace(objective: objective, capacity: options.steps + 1)
        var interrupted = false

        for step in 1...options.steps {
            do {
                try Cancellation.check()
                let (dy, dx) = ImagePrior.jitter(regularizer.jitter, random: &random)
                let shifted = ImagePrior.rolled(offset, height: height, width: width, channels: channels, dy: dy, dx: dx)
                let (evaluation, shiftedGradient) = try gradient(network: network, objective: objective, space: space,
                                                                 pixels: zip(base, shifted).map(+), height: height, width: width)
                trace.record(evaluation)
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
                                                                  pixels: zip(base, offset).map(+)) : nil, evaluation.value)
                }
            } catch EngineError.cancelled {
                interrupted = true
                break
            }
        }
        let finalPixels = zip(base, offset).map(+)
        if !interrupted {
            do {
                let (evaluation, _) = try gradient(network: network, objective: objective, space: space,
                                                   pixels: finalPixels, height: height, width: width)
                trace.record(evaluation)
            } catch EngineError.cancelled {
                interrupted = true
            }
        }
        return trace.result(image: try Image(width: width, height: height, channels: channels, pixels: finalPixels),
                            network: network, regularizer: regularizer, interrupted: interrupted)
    }

    /// The objective and its gradient with respect to the image's pixels (HWC).
    static func gradient(network: Network, objective: SynthesisObjective, space: InputSpace,
                         pixels: [Float], height: Int, width: Int) throws -> (SynthesisObjective.Evaluation, [Float]) {
        let image = try Image(width: width, height: height, channels: space.imageChannels, pixels: pixels)
        let input = try network.preprocess(image)
        defer { input.releaseGraph() }
        let evaluation = try objective.evaluate(network: network, input: input)
        let gradient = space.imageGradient(input.grad ?? [Float](repeating: 0, count: input.count), height: height, width: width)
        return (evaluation, gradient)
    }

    /// A start image's pixels (HWC, 0...1) at the network's size and channels.
    static func startPixels(_ image: Image, width: Int, height: Int, channels: Int) throws -> [Float] {
        var start = image.channels == channels ? image : try image.converted(toChannels: channels)
        if start.width != width || start.height != height { start = try start.resized(width: width, height: height) }
        return start.pixels.map { Swift.min(Swift.max($0, 0), 1) }
    }

    /// Keeps base + offset inside the valid pixel range 0...1.
    static func clampToImage(_ offset: inout [Float], base: [Float]) {
        for index in offset.indices {
            offset[index] = Swift.min(Swift.max(offset[index], -base[index]), 1 - base[index])
        }
    }

    /// The objective over the steps, and for a class objective its logit against the others'.
    struct Trace {
        let objective: SynthesisObjective
        var scores: [Float] = []
        var targetLogits: [Float] = []
        var otherLogits: [Float] = []

        init(objective: SynthesisObjective, capacity: Int) {
            self.objective = objective
            scores.reserveCapacity(capacity)
        }

        mutating func record(_ evaluation: SynthesisObjective.Evaluation) {
            scores.append(evaluation.value)
            guard let target = objective.classIndex, let logits = evaluation.logits, logits.count > 1,
                  target >= 0, target < logits.count else { return }
            targetLogits.append(logits[target])
            otherLogits.append((logits.reduce(0, +) - logits[target]) / Float(logits.count - 1))
        }

        func result(image: Image, network: Network, regularizer: ImageRegularizer, interrupted: Bool) -> SynthesisResult {
            var result = SynthesisResult(image: image, objective: objective.label(network), network: network.name,
                                         regularizer: regularizer, scores: scores)
            result.targetLogits = targetLogits
            result.otherLogits = otherLogits
            result.interrupted = interrupted
            return result
        }
    }
}
