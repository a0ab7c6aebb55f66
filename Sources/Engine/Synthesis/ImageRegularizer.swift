import Foundation

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

/// The operations the regularizers are made of, on HWC buffers.
enum ImagePrior {
    /// Separable Gaussian blur of each channel, radius 3 sigma, edges clamped; the kernel sums
    /// to 1 so a constant image stays constant.
    static func gaussianBlur(_ values: inout [Float], height: Int, width: Int, channels: Int, sigma: Float) {
        guard sigma > 0 else { return }
        let radius = Swift.max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { offset in Float(exp(-Double(offset * offset) / (2 * Double(sigma * sigma)))) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        var horizontal = [Float](repeating: 0, count: values.count)
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<channels {
                    var sum: Float = 0
                    for (tap, weight) in kernel.enumerated() {
                        let sx = Swift.min(Swift.max(x + tap - radius, 0), width - 1)
                        sum += weight * values[(y * width + sx) * channels + channel]
                    }
                    horizontal[(y * width + x) * channels + channel] = sum
                }
            }
        }
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<channels {
                    var sum: Float = 0
                    for (tap, weight) in kernel.enumerated() {
                        let sy = Swift.min(Swift.max(y + tap - radius, 0), height - 1)
                        sum += weight * horizontal[(sy * width + x) * channels + channel]
                    }
                    values[(y * width + x) * channels + channel] = sum
                }
            }
        }
    }

    /// Sets to zero every pixel whose score is below the `percentile`-th of all scores.
    static func zeroBelowPercentile(_ values: inout [Float], scores: [Float], channels: Int, percentile: Float) {
        guard percentile > 0, !scores.isEmpty else { return }
        let threshold = ToneMap.percentile(scores.sorted(), percentile)
        for (pixel, score) in scores.enumerated() where score < threshold {
            for channel in 0..<channels { values[pixel * channels + channel] = 0 }
        }
    }

    /// Per pixel: the Euclidean norm of its colour.
    static func pixelNorms(_ values: [Float], channels: Int) -> [Float] {
        stride(from: 0, to: values.count, by: channels).map { start in
            var sum: Float = 0
            for channel in 0..<channels { sum += values[start + channel] * values[start + channel] }
            return sum.squareRoot()
        }
    }

    /// Per pixel: |sum over channels of value * gradient|, the first-order change of the
    /// objective if the pixel were set to the mean colour.
    static func contributions(_ values: [Float], gradient: [Float], channels: Int) -> [Float] {
        stride(from: 0, to: values.count, by: channels).map { start in
            var sum: Float = 0
            for channel in 0..<channels { sum += values[start + channel] * gradient[start + channel] }
            return Swift.abs(sum)
        }
    }

    /// The image shifted by (dy, dx) with wrap-around, as jitter does; (-dy, -dx) undoes it.
    static func rolled(_ values: [Float], height: Int, width: Int, channels: Int, dy: Int, dx: Int) -> [Float] {
        guard dy != 0 || dx != 0 else { return values }
        var result = [Float](repeating: 0, count: values.count)
        for y in 0..<height {
            let ty = ((y + dy) % height + height) % height
            for x in 0..<width {
                let tx = ((x + dx) % width + width) % width
                for channel in 0..<channels {
                    result[(ty * width + tx) * channels + channel] = values[(y * width + x) * channels + channel]
                }
            }
        }
        return result
    }
}
