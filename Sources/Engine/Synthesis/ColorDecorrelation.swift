import Foundation

/// Colour decorrelation and the sigmoid that turn a Fourier-parameterized image into valid pixels
/// (Olah et al. 2017, "Feature Visualization", Distill; lucid's `to_valid_rgb(decorrelate: True,
/// sigmoid: True)`).
///
/// The optimiser works in a space whose three axes are uncorrelated for natural images: a pixel
/// t = (t0, t1, t2) becomes rgb = sigmoid(M t), with M the square root of ImageNet's 3x3 colour
/// covariance (from its SVD, as lucid gives it) divided by its largest column norm. For a
/// single-channel network the colour map is the identity and only the sigmoid applies.
enum ColorDecorrelation {
    /// sqrt of ImageNet's colour covariance, rows = R, G, B (lucid, `color_correlation_svd_sqrt`).
    static let covarianceSquareRoot: [[Float]] = [[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]]

    /// covarianceSquareRoot / max_k ||column k||: the map actually applied.
    static let matrix: [[Float]] = {
        let columnNorms = (0..<3).map { k in
            (0..<3).reduce(Float(0)) { $0 + covarianceSquareRoot[$1][k] * covarianceSquareRoot[$1][k] }.squareRoot()
        }
        let largest = columnNorms.max() ?? 1
        return covarianceSquareRoot.map { row in row.map { $0 / largest } }
    }()

    /// Pixels in 0...1 (HWC) of a decorrelated image t (HWC, `channels` 1 or 3).
    static func pixels(_ values: [Float], channels: Int) -> [Float] {
        var result = [Float](repeating: 0, count: values.count)
        for start in stride(from: 0, to: values.count, by: channels) {
            for channel in 0..<channels {
                var sum: Float = 0
                if channels == 3 {
                    for k in 0..<3 { sum += matrix[channel][k] * values[start + k] }
                } else {
                    sum = values[start + channel]
                }
                result[start + channel] = 1 / (1 + exp(-sum))
            }
        }
        return result
    }

    /// d objective / d t from the pixels `pixels(t)` and d objective / d pixels:
    /// through the sigmoid (p (1 - p)), then the transpose of M.
    static func backward(pixels: [Float], gradient: [Float], channels: Int) -> [Float] {
        var result = [Float](repeating: 0, count: pixels.count)
        for start in stride(from: 0, to: pixels.count, by: channels) {
            for channel in 0..<channels {
                let p = pixels[start + channel]
                let inner = gradient[start + channel] * p * (1 - p)
                if channels == 3 {
                    for k in 0..<3 { result[start + k] += matrix[channel][k] * inner }
                } else {
                    result[start + channel] = inner
                }
            }
        }
        return result
    }

    /// The t whose pixels are `pixels` (clamped to 0.01...0.99 so the logit stays finite): the
    /// logit, then M's inverse, for starting from a photo.
    /// - Throws: `EngineError.invalid` if the colour matrix were singular (it is not: det != 0).
    static func decorrelated(_ pixels: [Float], channels: Int) throws -> [Float] {
        let logits = pixels.map { value -> Float in
            let p = Swift.min(Swift.max(value, 0.01), 0.99)
            return log(p / (1 - p))
        }
        guard channels == 3 else { return logits }
        let m = matrix
        let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        guard abs(det) > 1e-8 else { throw EngineError.invalid("colour decorrelation: the colour matrix is singular") }
        // Inverse by cofactors: inverse[i][j] = cofactor[j][i] / det.
        var inverse = [[Float]](repeating: [0, 0, 0], count: 3)
        for i in 0..<3 {
            for j in 0..<3 {
                let rows = [0, 1, 2].filter { $0 != j }, cols = [0, 1, 2].filter { $0 != i }
                let minor = m[rows[0]][cols[0]] * m[rows[1]][cols[1]] - m[rows[0]][cols[1]] * m[rows[1]][cols[0]]
                inverse[i][j] = ((i + j) % 2 == 0 ? 1 : -1) * minor / det
            }
        }
        var result = [Float](repeating: 0, count: logits.count)
        for start in stride(from: 0, to: logits.count, by: 3) {
            for i in 0..<3 {
                result[start + i] = (0..<3).reduce(Float(0)) { $0 + inverse[i][$1] * logits[start + $1] }
            }
        }
        return result
    }
}
