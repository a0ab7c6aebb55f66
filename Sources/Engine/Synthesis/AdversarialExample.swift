import Foundation

/// Adversarial examples (lecture 003): start from an image, pick any class, change the image
/// to raise that class, and stop as soon as the network is fooled. The change stays within
/// `epsilon` of every original pixel, so the two images look the same to a person.
///
/// Each step follows the sign of the gradient of log p(target) (iterative fast gradient sign,
/// Kurakin et al. 2016): the log-probability, not the score, because fooling means winning
/// against every other class, and the sign because the budget is per pixel.
public enum AdversarialExample {
    public struct Options: Sendable {
        /// The perturbation budget per pixel, in pixel units: above 0, at most the whole range.
        public static let epsilonRange = NumberRange.aboveUpTo(0, 1)
        /// The most steps of the iterative attack.
        public static let stepRange = NumberRange.closed(1, 10_000)
        /// The largest change of any pixel, in pixel units (0...1).
        public var epsilon: Float = 8.0 / 255
        /// The change per step, in pixel units.
        public var stepSize: Float = 1.0 / 255
        public var maxSteps: Int = 100
        public init(epsilon: Float = 8.0 / 255, stepSize: Float = 1.0 / 255, maxSteps: Int = 100) {
            self.epsilon = epsilon
            self.stepSize = stepSize
            self.maxSteps = maxSteps
        }
    }

    public static func run(network: Network, image: Image, target: Int, options: Options = Options(),
                           progress: TechniqueProgress? = nil) throws -> AdversarialResult {
        try Options.epsilonRange.check(options.epsilon, "epsilon", in: "adversarial")
        try Options.epsilonRange.check(options.stepSize, "step size", in: "adversarial")
        try Options.stepRange.check(options.maxSteps, "steps", in: "adversarial")
        let probe = NetworkProbe(network: network, technique: "adversarial")
        let space = try InputSpace(network: network)
        let (height, width) = network.inputSize
        // What the network sees: the image resized and cropped to its input.
        let original = try network.deprocess(try probe.input(image))
        var pixels = original.pixels
        var (before, gradient) = try step(network: network, space: space, pixels: pixels, like: original, target: target)
        let initial = before
        var steps = 0
        while before.top != target, steps < options.maxSteps {
            try Cancellation.check()
            for index in pixels.indices {
                let moved = pixels[index] + options.stepSize * sign(gradient[index])
                let low = Swift.max(original.pixels[index] - options.epsilon, 0)
                let high = Swift.min(original.pixels[index] + options.epsilon, 1)
                pixels[index] = Swift.min(Swift.max(moved, low), high)
            }
            steps += 1
            (before, gradient) = try step(network: network, space: space, pixels: pixels, like: original, target: target)
            progress?(steps, options.maxSteps)
        }
        return AdversarialResult(original: original,
                                 adversarial: try Image(width: width, height: height, channels: original.channels, pixels: pixels),
                                 target: target, steps: steps, fooled: before.top == target,
                                 before: initial, after: before, classNames: network.classNames, epsilon: options.epsilon)
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
