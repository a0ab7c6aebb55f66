import Foundation

/// An image parameterized by its Fourier spectrum, scaled so every frequency has about the same
/// energy as in natural images (Olah, Mordvintsev and Schubert 2017, "Feature Visualization",
/// Distill, section "The Enemy of Feature Visualization"; lucid's `fft_image`).
///
/// For each channel, with the spectrum X a half spectrum [H][W/2 + 1] of complex values:
///
///     t = irfft2(X * s) * sqrt(H W) / 4,  s[ky, kx] = 1 / max(f, 1 / max(H, W)),
///     f = sqrt(fy^2 + fx^2) with fy = ky/H (or (ky - H)/H above H/2), fx = kx/W,
///
/// irfft2 normalised by 1 / (H W) as numpy's is (lucid's `scale *= sqrt(w * h)` makes the pair an
/// orthonormal transform). Gradient steps on X then move low frequencies as much as high ones
/// would move in a white image: the 1/f decay whitens the gradient. Columns kx = 0 and kx = W/2 of
/// a real image's spectrum are Hermitian in ky; the parameters there are projected onto that
/// subspace (X[ky] <- (X[ky] + conj X[H - ky]) / 2) before the inverse transform, which makes the
/// map linear and defined for every parameter vector, and `backward` its exact adjoint.
///
/// Layout: parameters are [C][H][W/2 + 1][re, im]; images are HWC with C channels.
final class FourierParameterization {
    let height: Int
    let width: Int
    let channels: Int
    private let fft: RealFFT2D
    /// s[ky, kx] / (4 sqrt(H W)): the frequency scale and the normalisation together.
    private let factor: [Float]

    /// - Throws: `EngineError` when the FFT cannot be planned.
    init(height: Int, width: Int, channels: Int) throws {
        self.height = height
        self.width = width
        self.channels = channels
        fft = try RealFFT2D(height: height, width: width)
        let columns = fft.columns
        let floor = 1 / Double(Swift.max(height, width))
        let normalisation = 4 * Double(height * width).squareRoot()
        var factor = [Float](repeating: 0, count: height * columns)
        for ky in 0..<height {
            let fy = Double(ky <= (height - 1) / 2 ? ky : ky - height) / Double(height)
            for kx in 0..<columns {
                let fx = Double(kx) / Double(width)
                let frequency = (fy * fy + fx * fx).squareRoot()
                factor[ky * columns + kx] = Float(1 / Swift.max(frequency, floor) / normalisation)
            }
        }
        self.factor = factor
    }

    /// Parameters per image: C H (W/2 + 1) complex values, two floats each.
    var parameterCount: Int { 2 * channels * height * fft.columns }

    /// The image t (HWC) of a parameter vector.
    func image(_ parameters: [Float]) -> [Float] {
        let plane = 2 * height * fft.columns
        var result = [Float](repeating: 0, count: height * width * channels)
        for channel in 0..<channels {
            var spectrum = Array(parameters[(channel * plane)..<((channel + 1) * plane)])
            for index in 0..<(height * fft.columns) {
                spectrum[2 * index] *= factor[index]
                spectrum[2 * index + 1] *= factor[index]
            }
            makeHermitian(&spectrum)
            let values = fft.inverse(spectrum)
            for index in 0..<(height * width) { result[index * channels + channel] = values[index] }
        }
        return result
    }

    /// d objective / d parameters from d objective / d t (HWC): the adjoint of `image`.
    ///
    /// With g real and G = rfft2(g) (exp(-i...)), t = sum over the full spectrum of X s e^{+i...}:
    /// an interior column appears twice (itself and its mirror), so d/dRe X = 2 s Re G and
    /// d/dIm X = 2 s Im G there; columns 0 and W/2 (W even) appear once (after the projection, whose
    /// adjoint averages G[ky] and conj G[H - ky], equal for a real g), so the factor is 1.
    func backward(_ imageGradient: [Float]) -> [Float] {
        let columns = fft.columns
        let plane = 2 * height * columns
        var result = [Float](repeating: 0, count: parameterCount)
        for channel in 0..<channels {
            let values = (0..<(height * width)).map { imageGradient[$0 * channels + channel] }
            let spectrum = fft.forward(values)
            for ky in 0..<height {
                for kx in 0..<columns {
                    let index = ky * columns + kx
                    let selfConjugate = kx == 0 || (width % 2 == 0 && kx == width / 2)
                    let weight = (selfConjugate ? 1 : 2) * factor[index]
                    result[channel * plane + 2 * index] = weight * spectrum[2 * index]
                    result[channel * plane + 2 * index + 1] = weight * spectrum[2 * index + 1]
                }
            }
        }
        return result
    }

    /// The parameters whose image is `values` (HWC): the inverse of `image`, for a start image.
    func parameters(for values: [Float]) -> [Float] {
        let columns = fft.columns
        let plane = 2 * height * columns
        // image(X) = irfft_unnormalised(X s') with s' = factor, and irfft_unnormalised(rfft(t)) = H W t.
        let count = Float(height * width)
        var result = [Float](repeating: 0, count: parameterCount)
        for channel in 0..<channels {
            let spectrum = fft.forward((0..<(height * width)).map { values[$0 * channels + channel] })
            for index in 0..<(height * columns) {
                result[channel * plane + 2 * index] = spectrum[2 * index] / (factor[index] * count)
                result[channel * plane + 2 * index + 1] = spectrum[2 * index + 1] / (factor[index] * count)
            }
        }
        return result
    }

    /// Projects columns 0 and W/2 (W even) onto Hermitian sequences in ky.
    private func makeHermitian(_ spectrum: inout [Float]) {
        let columns = fft.columns
        var selfConjugateColumns = [0]
        if width % 2 == 0, width / 2 != 0 { selfConjugateColumns.append(width / 2) }
        for kx in selfConjugateColumns {
            for ky in 0...(height / 2) {
                let mirror = (height - ky) % height
                let a = ky * columns + kx, b = mirror * columns + kx
                let real = (spectrum[2 * a] + spectrum[2 * b]) / 2
                let imaginary = (spectrum[2 * a + 1] - spectrum[2 * b + 1]) / 2
                spectrum[2 * a] = real
                spectrum[2 * a + 1] = imaginary
                spectrum[2 * b] = real
                spectrum[2 * b + 1] = -imaginary
            }
        }
    }
}
