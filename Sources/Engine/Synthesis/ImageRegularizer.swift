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
    /// What the optimiser moves: the pixels, or (`.fourier`) a decorrelated, whitened spectrum.
    public var parameterization: Parameterization

    /// The optimisation variable of class visualization.
    public enum Parameterization: Equatable, Sendable {
        /// The pixels themselves, by normalised gradient steps, with the numbered priors above.
        case pixels
        /// Olah et al. 2017's spectrum parameterization with transformation robustness and Adam
        /// (`FourierVisualization`); the numbered priors above are not used.
        case fourier
    }

    public init(name: String, decay: Float = 0, blurEvery: Int = 0, blurSigma: Float = 0, jitter: Int = 0,
                normPercentile: Float = 0, contributionPercentile: Float = 0, parameterization: Parameterization = .pixels) {
        self.parameterization = parameterization
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

    /// Olah, Mordvintsev and Schubert 2017 ("Feature Visualization", Distill; lucid's defaults):
    /// a 1/f-scaled Fourier spectrum, decorrelated colour, a sigmoid, and random pad, jitter, scale
    /// and rotation every step (`FourierVisualization`).
    public static let fourier = ImageRegularizer(name: "fourier", parameterization: .fourier)

    public static let all: [ImageRegularizer] = [.none, .l2, .l2PlusPlus, .fourier]

    /// The four hyperparameter combinations of Yosinski et al. 2015 ("Understanding Neural Networks
    /// Through Deep Visualization", ICML Deep Learning Workshop), Table 1, in its order:
    ///
    /// | preset | decay | blur radius | blur every | norm percentile | contribution percentile |
    /// | --- | --- | --- | --- | --- | --- |
    /// | 1 | 0      | 0.5 | 4 | 50 | 0  |
    /// | 2 | 0.3    | 0   | 0 | 20 | 0  |
    /// | 3 | 0.0001 | 1.0 | 4 | 0  | 0  |
    /// | 4 | 0      | 0.5 | 4 | 0  | 90 |
    ///
    /// Source of the numbers: the authors' deep-visualization-toolbox, doc/optimize.md ("Table 1 of
    /// the paper gives four sets of recommended regularization hyperparameters", with the
    /// `optimize_image.py` flags --decay, --blur-radius, --blur-every, --small-norm-percentile and
    /// --px-abs-benefit-percentile, the last two documented there as theta_n_pct and theta_c_pct).
    /// Preset 3 made most of the paper's images. The blur radius is the Gaussian's sigma in pixels
    /// (the toolbox's `gaussian_filter(sigma=blur_radius)`); the decay multiplies the image by
    /// (1 - decay) each step. The paper used no jitter, so neither do the presets; their learning
    /// rates (Caffe pixel units, "progress" policies) are replaced by this engine's normalised step.
    /// - Returns: nil outside 1...4.
    public static func yosinski(preset: Int) -> ImageRegularizer? {
        let table: [(decay: Float, sigma: Float, every: Int, norm: Float, contribution: Float)] = [
            (0, 0.5, 4, 50, 0), (0.3, 0, 0, 20, 0), (0.0001, 1.0, 4, 0, 0), (0, 0.5, 4, 0, 90),
        ]
        guard (1...table.count).contains(preset) else { return nil }
        let row = table[preset - 1]
        return ImageRegularizer(name: "l2++ preset \(preset)", decay: row.decay, blurEvery: row.every, blurSigma: row.sigma,
                                normPercentile: row.norm, contributionPercentile: row.contribution)
    }

    public static func named(_ name: String) -> ImageRegularizer? {
        all.first { $0.name == name.lowercased() }
    }

    /// The setting as a caption, so a picture says how it was made.
    public var caption: String {
        if parameterization == .fourier {
            return "\(name): 1/f spectrum, decorrelated colour, sigmoid; pad 12, jitter 8, scale 0.9-1.1, rotate -10 to 10 degrees, jitter 4; Adam"
        }
        var parts = decay > 0 ? ["decay \(NumberLabel.format(decay))"] : []
        if blurEvery > 0 { parts.append("blur sigma \(NumberLabel.format(blurSigma)) every \(blurEvery)") }
        if jitter > 0 { parts.append("jitter \(jitter)px") }
        if normPercentile > 0 { parts.append("norm clip p\(NumberLabel.format(normPercentile))") }
        if contributionPercentile > 0 { parts.append("contribution clip p\(NumberLabel.format(contributionPercentile))") }
        // "none: decay 0" would read as a setting; plain gradient ascent says what it is.
        if parts.isEmpty { return "no regularizer (plain gradient ascent)" }
        return "\(name): " + parts.joined(separator: ", ")
    }
}
