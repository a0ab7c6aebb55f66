import Foundation

/// Adversarial examples (lecture 003's recipe: start from an image, pick any class, change the
/// image by gradient ascent on that class, stop when the network is fooled). The change stays
/// within `epsilon` of every original pixel (the L-infinity ball), so the two images look the same
/// to a person.
///
/// Three methods, all following the sign of the gradient of log p(target) (the log-probability,
/// not the logit, because fooling means winning against every other class; the sign because the
/// budget is per pixel):
/// - `.fgsm`: the fast gradient sign method (Goodfellow et al. 2015, "Explaining and harnessing
///   adversarial examples", eq. 3, targeted form): one step of size `epsilon`.
/// - `.pgd`: projected gradient descent (Madry et al. 2018, "Towards deep learning models resistant
///   to adversarial attacks", eq. 2): `maxSteps` signed steps of `stepSize`, each projected back into
///   the ball and to valid pixels, optionally from a uniform random start in the ball.
/// - `.iterative`: the lecture's recipe (iterative FGSM, Kurakin et al. 2016): PGD's steps from
///   the image itself, stopping at the first step at which the network is fooled.
///
/// "Fooled" is the target being the top class, or with `confidence` its probability reaching it.
public enum AdversarialExample {
    public enum Method: String, CaseIterable, Sendable {
        case iterative, fgsm, pgd
    }

    public struct Options: Sendable {
        /// The perturbation budget per pixel, in pixel units: above 0, at most the whole range.
        public static let epsilonRange = NumberRange.aboveUpTo(0, 1)
        /// The most steps of the iterative attacks.
        public static let stepRange = NumberRange.closed(1, 10_000)
        /// A stopping probability: strictly between 0 and 1.
        public static let confidenceRange = NumberRange(lower: .exclusive(0), upper: .exclusive(1))
        public var method: Method = .iterative
        /// The largest change of any pixel, in pixel units (0...1; the language takes 0...255).
        public var epsilon: Float = 8.0 / 255
        /// The change per step of `.pgd` and `.iterative`, in pixel units.
        public var stepSize: Float = 1.0 / 255
        public var maxSteps: Int = 100
        /// Stop once p(target) reaches this (nil: once the target is the top class; `.pgd`
        /// without it runs every step, as Madry et al. do).
        public var confidence: Float?
        /// `.pgd` only: start from a uniform random point of the ball rather than the image.
        public var randomStart = false
        public var seed: UInt64 = 0

        public init(method: Method = .iterative, epsilon: Float = 8.0 / 255, stepSize: Float = 1.0 / 255,
                    maxSteps: Int = 100, confidence: Float? = nil, randomStart: Bool = false, seed: UInt64 = 0) {
            self.method = method
            self.epsilon = epsilon
            self.stepSize = stepSize
            self.maxSteps = maxSteps
            self.confidence = confidence
            self.randomStart = randomStart
            self.seed = seed
        }
    }

    /// Called after each step with (step, total steps, p(target) now).
    public typealias Progress = (Int, Int, Float) -> Void

    /// Runs the attack on `image` (resized and centre-cropped to the network's input, as
    /// `classify` sees it). Throws when the target is not one of the network's classes or an
    /// option is out of range; an interrupt (`Cancellation`) ends it early with what it has.
    public static func run(network: Network, image: Image, target: Int, options: Options = Options(),
                           progress: Progress? = nil) throws -> AdversarialResult {
        try Options.epsilonRange.check(options.epsilon, "epsilon", in: "adversarial")
        try Options.epsilonRange.check(options.stepSize, "step size", in: "adversarial")
        try Options.stepRange.check(options.maxSteps, "steps", in: "adversarial")
        if let confidence = options.confidence { try Options.confidenceRange.check(confidence, "confidence", in: "adversarial") }
        let probe = NetworkProbe(network: network, technique: "adversarial")
        let space = try InputSpace(network: network)
        let (height, width) = network.inputSize
        // What the network sees: the image resized and cropped to its input.
        let original = try network.deprocess(try probe.input(image))
        let ball = Ball(center: original.pixels, radius: options.epsilon)
        var pixels = original.pixels
        if options.method == .pgd, options.randomStart {
            var random = SeededRandom(seed: options.seed)
            for index in pixels.indices { pixels[index] += random.uniform(-options.epsilon, options.epsilon) }
            ball.project(&pixels)
        }
        func fooled(_ prediction: AdversarialResult.Prediction) -> Bool {
            if let confidence = options.confidence { return prediction.targetProbability >= confidence }
            return prediction.top == target
        }
        var (now, gradient) = try step(network: network, space: space, pixels: pixels, like: original, target: target)
        let initial = now
        var probabilities = [now.targetProbability]
        var steps = 0
        var interrupted = false
        let total = options.method == .fgsm ? 1 : options.maxSteps
        do {
            while steps < total {
                if options.method == .iterative, fooled(now) { break }
                if options.method == .pgd, options.confidence != nil, fooled(now) { break }
                try Cancellation.check()
                let size = options.method == .fgsm ? options.epsilon : options.stepSize
                for index in pixels.indices { pixels[index] += size * sign(gradient[index]) }
                ball.project(&pixels)
                steps += 1
                (now, gradient) = try step(network: network, space: space, pixels: pixels, like: original, target: target)
                probabilities.append(now.targetProbability)
                progress?(steps, total, now.targetProbability)
            }
        } catch EngineError.cancelled {
            interrupted = true
        }
        var result = AdversarialResult(original: original,
                                       adversarial: try Image(width: width, height: height, channels: original.channels, pixels: pixels),
                                       target: target, steps: steps, fooled: fooled(now),
                                       before: initial, after: now, classNames: network.classNames, epsilon: options.epsilon)
        result.method = options.method
        result.confidence = options.confidence
        result.probabilities = probabilities
        result.interrupted = interrupted
        return result
    }

    /// The L-infinity ball around the original intersected with valid pixels (0...1): PGD's
    /// projection, which for a box is clamping each coordinate.
    struct Ball {
        let low: [Float]
        let high: [Float]

        init(center: [Float], radius: Float) {
            low = center.map { Swift.max($0 - radius, 0) }
            high = center.map { Swift.min($0 + radius, 1) }
        }

        func project(_ pixels: inout [Float]) {
            for index in pixels.indices { pixels[index] = Swift.min(Swift.max(pixels[index], low[index]), high[index]) }
        }
    }

    /// The prediction for `pixels` and the gradient of log p(target) with respect to them.
    ///
    /// The gradient is the autodiff of the network's logits through `logSoftmax`, seeded with 1
    /// at the target: no hand-derived softmax gradient to drift from the ops it describes.
    static func step(network: Network, space: InputSpace, pixels: [Float], like image: Image,
                     target: Int) throws -> (AdversarialResult.Prediction, [Float]) {
        let input = try network.preprocess(try Image(width: image.width, height: image.height, channels: image.channels, pixels: pixels))
        input.requiresGrad = true
        defer { input.releaseGraph() }
        let (logits, _) = try network.forward(input, capture: [], until: nil)
        guard target >= 0, target < logits.count else {
            throw EngineError.invalid("adversarial: class \(target) is outside 0..<\(logits.count) for \(network.name)")
        }
        let logProbabilities = try logits.logSoftmax(axis: -1)
        var seed = [Float](repeating: 0, count: logProbabilities.count)
        seed[target] = 1
        try logProbabilities.backward(seed: seed)
        let gradient = space.imageGradient(input.grad ?? [], height: image.height, width: image.width)
        let probabilities = logProbabilities.data.map { Foundation.exp($0) }
        var top = 0
        for index in probabilities.indices where probabilities[index] > probabilities[top] { top = index }
        return (AdversarialResult.Prediction(top: top, topProbability: probabilities[top],
                                             targetProbability: probabilities[target]), gradient)
    }

    static func sign(_ value: Float) -> Float { value > 0 ? 1 : (value < 0 ? -1 : 0) }
}
