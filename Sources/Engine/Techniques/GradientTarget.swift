/// Which number a gradient technique differentiates.
public enum GradientTarget: Equatable, Sendable {
    /// A class score before the softmax (lecture 000, 1.13: not the probability). nil means the
    /// network's top-1 class for the image.
    case classScore(Int?)
    /// A class probability after the softmax, p_c = exp(z_c) / sum_j exp(z_j) (lecture 000, 1.3
    /// and 1.13: its gradient p_c (grad z_c - sum_j p_j grad z_j) is tiny wherever p_c is, and it
    /// rises as much by lowering the other scores as by raising z_c). nil means the top-1 class.
    case classProbability(Int?)
    /// One unit of a layer: the position where `channel` of `layer` is largest for the image
    /// (lecture 000, 1.15: "pick a channel, pick a very high activation").
    case unit(layer: String, channel: Int)
    /// One given unit of a layer, at row `y` and column `x` of its grid (a maximally activating
    /// patch's unit, which need not be the channel's largest on the view when several patches
    /// come from one image).
    case position(layer: String, channel: Int, y: Int, x: Int)

    /// The same target with its class fixed (the top class resolved on the clean image), so that
    /// SmoothGrad's noisy copies differentiate the class the clean image chose.
    func fixing(classIndex: Int?) -> GradientTarget {
        guard let classIndex else { return self }
        switch self {
        case .classScore: return .classScore(classIndex)
        case .classProbability: return .classProbability(classIndex)
        case .unit, .position: return self
        }
    }

    /// True for a softmax-probability target.
    var isProbability: Bool {
        if case .classProbability = self { return true }
        return false
    }
}
