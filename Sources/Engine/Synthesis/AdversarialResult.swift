/// An adversarial example beside its original, with what the network said of each.
public struct AdversarialResult {
    public struct Prediction: Equatable, Sendable {
        public let top: Int
        public let topProbability: Float
        public let targetProbability: Float
    }

    public let original: Image
    public let adversarial: Image
    public let target: Int
    public let steps: Int
    /// Whether the network's top class became the target within the steps allowed.
    public let fooled: Bool
    public let before: Prediction
    public let after: Prediction
    let classNames: [String]
    /// The budget per pixel, in pixel units (0...1).
    public let epsilon: Float
    public var method: AdversarialExample.Method = .iterative
    /// The stopping probability, when one was asked for.
    public var confidence: Float?
    /// p(target) before the first step and after each step (steps + 1 values).
    public var probabilities: [Float] = []
    /// True when an interrupt stopped the attack; the images are the last step's.
    public var interrupted = false

    /// adversarial - original, per pixel value.
    public var perturbation: [Float] { zip(adversarial.pixels, original.pixels).map { $0 - $1 } }
    /// The L-infinity norm of the perturbation, in pixel units (0...1).
    public var largestChange: Float { perturbation.reduce(0) { Swift.max($0, Swift.abs($1)) } }
    /// The L-infinity norm of the perturbation in grey levels (0...255) of the displayed image.
    public var linf: Float { largestChange * 255 }

    /// "281 tabby", or just "3" where the class is called by its number (MNIST).
    func name(_ index: Int) -> String {
        guard index < classNames.count, classNames[index] != "\(index)" else { return "\(index)" }
        return "\(index) \(classNames[index])"
    }

    /// Original, the perturbation magnified to full range around grey, and the adversarial image,
    /// each labelled with the network's top class: the lecture's three-panel figure.
    public func render() -> Canvas {
        let change = largestChange
        let magnified = perturbation.map { change > 0 ? 0.5 + 0.5 * $0 / change : 0.5 }
        var difference = Canvas(width: original.width, height: original.height)
        difference.drawPicture(pixels: magnified, width: original.width, height: original.height, channels: original.channels,
                               x: 0, y: 0, targetWidth: original.width, targetHeight: original.height)
        let percent = { (p: Float) in NumberLabel.format(p * 100) + "%" }
        let goal = confidence.map { "p(target) >= \(percent($0))" } ?? "fooled"
        let outcome = "\(method.rawValue): " + (fooled ? "\(goal) in \(steps) steps" : "not \(goal) in \(steps) steps")
            + (interrupted ? " (interrupted)" : "") + ", p(target) \(percent(after.targetProbability))"
        return TechniqueCanvas.panels(
            title: "adversarial example: target \(name(target))",
            pictures: [Canvas(image: original), difference, Canvas(image: adversarial)],
            labels: ["\(name(before.top)) \(percent(before.topProbability))",
                     "difference x\(NumberLabel.format(change > 0 ? 0.5 / change : 0))",
                     "\(name(after.top)) \(percent(after.topProbability))"],
            caption: "\(outcome); every pixel within \(NumberLabel.format(epsilon * 255))/255 (L-infinity change \(NumberLabel.format(linf))/255)")
    }
}
