/// Which number a gradient technique differentiates.
public enum GradientTarget: Equatable, Sendable {
    /// A class score before the softmax (lecture 000, 1.13: not the probability). nil means the
    /// network's top-1 class for the image.
    case classScore(Int?)
    /// One unit of a layer: the position where `channel` of `layer` is largest for the image
    /// (lecture 000, 1.15: "pick a channel, pick a very high activation").
    case unit(layer: String, channel: Int)
}
