/// An image made by optimisation, with how it was made and how the objective rose.
public struct SynthesisResult {
    public let image: Image
    /// "class 281 tabby", "fire9 channel 12".
    public let objective: String
    public let network: String
    public let regularizer: ImageRegularizer
    /// The objective before each step, then after the last one.
    public let scores: [Float]

    public var startScore: Float { scores.first ?? 0 }
    public var finalScore: Float { scores.last ?? 0 }

    /// The image, enlarged, under a title naming the objective, with the regularizer and the
    /// objective's rise as a caption.
    public func render(tileSize: Int = 227) -> Canvas {
        let caption = "\(regularizer.caption); score \(NumberLabel.format(startScore)) -> \(NumberLabel.format(finalScore)) "
            + "in \(Swift.max(scores.count - 1, 0)) steps"
        return TileGrid(title: "\(network): \(objective)", tiles: [Canvas(image: image)], labels: [],
                        caption: caption, columns: 1, tileSize: tileSize).renderSmooth()
    }
}
