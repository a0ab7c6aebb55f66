import Foundation

/// Fooling images (Nguyen, Yosinski and Clune 2015, "Deep neural networks are easily fooled: high
/// confidence predictions for unrecognizable images", section 3.3 "Fooling images via gradient
/// ascent"; lecture 004): images a person cannot recognise that the network nevertheless
/// classifies as a chosen class with probability 0.99 or more.
///
/// The image is encoded directly (one value per pixel, Nguyen et al.'s "direct encoding"),
/// starting from uniform random noise, and climbed by gradient ascent on log p(class) with no
/// prior at all: each step moves every pixel by `rate` along the sign of the gradient and clamps
/// it to 0...1. The run stops at the first step at which p(class) reaches `confidence`.
public enum FoolingImage {
    public enum Start: Sendable {
        /// Uniform random pixels in 0...1 (Nguyen et al.'s initialisation).
        case noise
        /// Mid grey.
        case grey
        /// An image, resized and centre-cropped to the network's input.
        case image(Image)
    }

    public struct Options: Sendable {
        public static let stepRange = NumberRange.closed(1, 10_000)
        public static let rateRange = NumberRange.aboveUpTo(0, 1)
        public var start: Start = .noise
        /// The most steps.
        public var steps = 200
        /// The change of every pixel per step, in pixel units (0...1).
        public var rate: Float = 2.0 / 255
        /// Stop once p(class) reaches this.
        public var confidence: Float = 0.99
        public var seed: UInt64 = 0
        public init(start: Start = .noise, steps: Int = 200, rate: Float = 2.0 / 255, confidence: Float = 0.99, seed: UInt64 = 0) {
            self.start = start
            self.steps = steps
            self.rate = rate
            self.confidence = confidence
            self.seed = seed
        }
    }

    /// Called after each step with (step, total steps, the image now, p(class) now).
    public typealias Progress = (Int, Int, Image, Float) -> Void

    /// Runs the ascent. The result's `scores` are p(class) before the first step and after each
    /// step; `interrupted` is set when an interrupt stopped it (the image is the last one made).
    /// Throws when the class is not one of the network's or an option is out of range.
    public static func run(network: Network, target: Int, options: Options = Options(),
                           progress: Progress? = nil) throws -> SynthesisResult {
        try Options.stepRange.check(options.steps, "steps", in: "fooling")
        try Options.rateRange.check(options.rate, "rate", in: "fooling")
        try AdversarialExample.Options.confidenceRange.check(options.confidence, "confidence", in: "fooling")
        guard target >= 0, target < network.classNames.count else {
            throw EngineError.invalid("fooling: class \(target) is outside 0..<\(network.classNames.count) for \(network.name)")
        }
        let space = try InputSpace(network: network)
        let (height, width) = network.inputSize
        let channels = network.inputChannels
        var pixels: [Float]
        switch options.start {
        case .noise:
            var random = SeededRandom(seed: options.seed)
            pixels = (0..<(height * width * channels)).map { _ in random.uniform() }
        case .grey:
            pixels = [Float](repeating: 0.5, count: height * width * channels)
        case .image(let image):
            let probe = NetworkProbe(network: network, technique: "fooling")
            pixels = try network.deprocess(try probe.input(image)).pixels
        }
        let like = try Image(width: width, height: height, channels: channels, pixels: pixels)
        var (now, gradient) = try AdversarialExample.step(network: network, space: space, pixels: pixels, like: like, target: target)
        var scores = [now.targetProbability]
        var interrupted = false
        do {
            var step = 0
            while step < options.steps, now.targetProbability < options.confidence {
                try Cancellation.check()
                for index in pixels.indices {
                    pixels[index] = Swift.min(Swift.max(pixels[index] + options.rate * AdversarialExample.sign(gradient[index]), 0), 1)
                }
                step += 1
                (now, gradient) = try AdversarialExample.step(network: network, space: space, pixels: pixels, like: like, target: target)
                scores.append(now.targetProbability)
                if let progress {
                    progress(step, options.steps, try Image(width: width, height: height, channels: channels, pixels: pixels),
                             now.targetProbability)
                }
            }
        } catch EngineError.cancelled {
            interrupted = true
        }
        let name = target < network.classNames.count && network.classNames[target] != "\(target)"
            ? "\(target) \(network.classNames[target])" : "\(target)"
        var result = SynthesisResult(image: try Image(width: width, height: height, channels: channels, pixels: pixels),
                                     objective: "fooling image, p(\(name))", network: network.name,
                                     regularizer: .none, scores: scores)
        result.interrupted = interrupted
        return result
    }
}
