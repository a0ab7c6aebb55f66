/// An image made by optimisation, with how it was made and how the objective rose.
public struct SynthesisResult {
    public let image: Image
    /// "class 281 tabby", "fire9 channel 12".
    public let objective: String
    public let network: String
    public let regularizer: ImageRegularizer
    /// The objective before each step, then after the last one (steps + 1 values; fewer when
    /// the run was interrupted).
    public let scores: [Float]
    /// For a class objective, aligned with `scores`: the target's logit and the mean of the other
    /// classes' logits (lecture 000 section 1.13: the probability objective lowers the others).
    public var targetLogits: [Float] = []
    public var otherLogits: [Float] = []
    /// True when an interrupt stopped the run early; the image is the last one made.
    public var interrupted = false

    public init(image: Image, objective: String, network: String, regularizer: ImageRegularizer, scores: [Float]) {
        self.image = image
        self.objective = objective
        self.network = network
        self.regularizer = regularizer
        self.scores = scores
    }

    public var startScore: Float { scores.first ?? 0 }
    public var finalScore: Float { scores.last ?? 0 }
    /// Steps taken.
    public var steps: Int { Swift.max(scores.count - 1, 0) }

    /// The image, enlarged, under a title naming the objective, with the objective's curve over the
    /// steps drawn under it and the regularizer and the objective's rise as a caption. For a class
    /// objective a second plot shows the class's logit against the mean of the other logits, so
    /// that a probability run's rise by lowering the others is visible (lecture 000, 1.13). A run
    /// that ended early says so with `endedEarly` ("interrupted", or "stopped" by a stop button).
    public func render(tileSize: Int = 227, endedEarly: String = "interrupted") -> Canvas {
        let caption = "\(regularizer.caption); objective \(NumberLabel.format(startScore)) -> \(NumberLabel.format(finalScore)) "
            + "in \(steps) steps" + (interrupted ? " (\(endedEarly))" : "")
        let picture = TileGrid(title: "\(network): \(objective)", tiles: [Canvas(image: image)], labels: [],
                               columns: 1, tileSize: tileSize).renderSmooth()
        // When the objective is the class logit itself, the logit plot already draws its curve.
        let objectiveIsTheLogit = targetLogits.count == scores.count
            && zip(scores, targetLogits).allSatisfy { abs($0 - $1) <= 1e-4 * Swift.max(1, abs($1)) }
        var curves = objectiveIsTheLogit && otherLogits.count == targetLogits.count ? []
            : [ObjectiveCurve(series: [("objective", scores)], width: picture.width, height: 64).render()]
        if targetLogits.count > 1, otherLogits.count == targetLogits.count {
            curves.append(ObjectiveCurve(series: [("class logit", targetLogits), ("mean of the other logits", otherLogits)],
                                         width: picture.width, height: 64).render())
        }
        var canvas = Canvas(width: picture.width, height: picture.height + curves.map(\.height).reduce(0, +))
        canvas.drawCanvas(picture, x: 0, y: 0)
        var y = picture.height
        for curve in curves {
            canvas.drawCanvas(curve, x: 0, y: y)
            y += curve.height
        }
        return canvas.withCaption(caption)
    }
}
