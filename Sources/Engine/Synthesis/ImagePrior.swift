import Foundation

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
        let threshold = Quantile.ofSorted(scores.sorted(), percentile / 100)
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

    /// rate / mean |g|: a step that moves the pixels by `rate` on average whatever the scale of
    /// the gradient, so one rate works for every network, layer and class.
    static func stepScale(_ gradient: [Float], rate: Float) -> Float {
        let meanMagnitude = gradient.reduce(0) { $0 + Swift.abs($1) } / Float(Swift.max(gradient.count, 1))
        return meanMagnitude > 0 ? rate / meanMagnitude : 0
    }

    /// A random jitter offset in -limit...limit for each axis (none when limit is 0).
    static func jitter(_ limit: Int, random: inout SeededRandom) -> (dy: Int, dx: Int) {
        guard limit > 0 else { return (0, 0) }
        return (random.integer(in: -limit..<(limit + 1)), random.integer(in: -limit..<(limit + 1)))
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
