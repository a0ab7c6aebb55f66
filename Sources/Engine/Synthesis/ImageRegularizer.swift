/// The image priors of class visualization (lecture 000, 1.13-1.14; lecture 004).
///
/// Plain gradient ascent finds high-frequency patterns that no photo has. Simonyan et al. add an
/// L2 penalty on the image; Yosinski et al. ("L2++") add, every few steps, a Gaussian blur, and
/// set to zero the pixels with a small norm or a small contribution to the objective; random
/// jitter (shifting the image a few pixels each step) is the transformation robustness that
/// later work relies on. All act on the image in pixel units (0...1) relative to the network's
/// mean colour, so one setting means the same on every network.
public struct ImageRegularizer: Equatable, Sendable {
    public var name: String
    /// Each step the image shrinks by this fraction towards the mean colour (L2 decay).
    public var decay: Float
    /// Blur every this many steps (0: never), with this standard deviation in pixels.
    public var blurEvery: Int
    public var blurSigma: Float
    /// Largest random shift per step, in pixels (0: none).
    public var jitter: Int
    /// Pixels whose colour norm is below this percentile (0...100) are set to the mean (0: off).
    public var normPercentile: Float
    /// Pixels whose contribution |sum_c x * g| is below this percentile are set to the mean (0: off).
    public var contributionPercentile: Float

    public init(name: String, decay: Float = 0, blurEvery: Int = 0, blurSigma: Float = 0, jitter: Int = 0,
                normPercentile: Float = 0, contributionPercentile: Float = 0) {
        self.name = name
        self.decay = decay
        self.blurEvery = blurEvery
        self.blurSigma = blurSigma
        self.jitter = jitter
        self.normPercentile = normPercentile
        self.contributionPercentile = contributionPercentile
    }

    /// No prior: the adversarial-looking noise the lectures start from.
    public static let none = ImageRegularizer(name: "none")
    /// Simonyan et al. 2014: argmax S_c(I) - lambda ||I||^2, as a decay.
    public static let l2 = ImageRegularizer(name: "l2", decay: 0.01)
    /// Yosinski et al. 2015: L2 decay, Gaussian blur, clipping of small norms and contributions.
    public static let l2PlusPlus = ImageRegularizer(name: "l2++", decay: 0.01, blurEvery: 4, blurSigma: 0.6, jitter: 4,
                                                    normPercentile: 10, contributionPercentile: 10)

    public static let all: [ImageRegularizer] = [.none, .l2, .l2PlusPlus]

    public static func named(_ name: String) -> ImageRegularizer? {
        all.first { $0.name == name.lowercased() }
    }

    /// The setting as a caption, so a picture says how it was made.
    public var caption: String {
        var parts = ["decay \(NumberLabel.format(decay))"]
        if blurEvery > 0 { parts.append("blur sigma \(NumberLabel.format(blurSigma)) every \(blurEvery)") }
        if jitter > 0 { parts.append("jitter \(jitter)px") }
        if normPercentile > 0 { parts.append("norm clip p\(NumberLabel.format(normPercentile))") }
        if contributionPercentile > 0 { parts.append("contribution clip p\(NumberLabel.format(contributionPercentile))") }
        return "\(name): " + parts.joined(separator: ", ")
    }
}
