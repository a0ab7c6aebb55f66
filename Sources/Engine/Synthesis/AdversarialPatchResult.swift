/// A trained adversarial patch, its held-out success rate and a few patched images.
public struct AdversarialPatchResult {
    /// side x side, HWC, 0...1.
    public let patch: Image
    public let target: Int
    public let network: String
    /// The share of the image area the patch covers at scale 1.
    public let size: Float
    /// Successful trials / all trials on the eligible held-out images (0 when none were eligible).
    public let successRate: Float
    /// Held-out images the network does not already call the target, and those left out because it does.
    public let eligible: Int
    public let excluded: Int
    /// Random placements per eligible image.
    public let trials: Int
    public let trainingCount: Int
    /// Mean log p(target) over each training step's batch.
    public let objectives: [Float]
    public let interrupted: Bool
    /// Up to four patched held-out images with the network's top class and its probability.
    public let examples: [(image: Image, top: Int, probability: Float)]
    let classNames: [String]

    /// The held-out measurement before it is wrapped with the patch.
    struct Evaluation {
        let excluded: Int
        let eligible: Int
        let trials: Int
        let patched: [[Float]]
        let predictions: [(Int, Float)]
        let height: Int, width: Int, channels: Int
        var interrupted = false
        var objectives: [Float] = []

        func result(patch: Image, network: Network, target: Int, size: Float, trainingCount: Int) throws -> AdversarialPatchResult {
            let successes = predictions.filter { $0.0 == target }.count
            // One example per eligible image (its first placement), so the four show four photos.
            let shown = stride(from: 0, to: patched.count, by: Swift.max(trials, 1)).prefix(4)
            let examples = try shown.map { index in
                (image: try Image(width: width, height: height, channels: channels, pixels: patched[index]),
                 top: predictions[index].0, probability: predictions[index].1)
            }
            return AdversarialPatchResult(patch: patch, target: target, network: network.name, size: size,
                               successRate: predictions.isEmpty ? 0 : Float(successes) / Float(predictions.count),
                               eligible: eligible, excluded: excluded, trials: trials, trainingCount: trainingCount,
                               objectives: objectives, interrupted: interrupted, examples: examples, classNames: network.classNames)
        }
    }

    func name(_ index: Int) -> String {
        guard index < classNames.count, classNames[index] != "\(index)" else { return "\(index)" }
        return "\(index) \(classNames[index])"
    }

    /// The patch and the patched held-out examples side by side, each example labelled with the
    /// network's top class, and the success rate as the caption.
    public func render() -> Canvas {
        let percent = { (p: Float) in NumberLabel.format(p * 100) + "%" }
        var pictures = [Canvas(image: patch)]
        var labels = ["patch (\(percent(size)) of the area)"]
        for example in examples {
            pictures.append(Canvas(image: example.image))
            labels.append("\(name(example.top)) \(percent(example.probability))")
        }
        let caption = "held-out success \(percent(successRate)) (\(eligible) images x \(trials) random placements; "
            + "\(excluded) already \(name(target)) left out); trained on \(trainingCount) images for \(objectives.count) steps"
            + (interrupted ? " (interrupted)" : "")
        return TechniqueCanvas.panels(title: "\(network): adversarial patch for \(name(target))", pictures: pictures,
                                      labels: labels, caption: caption, panelSize: 160)
    }
}
