import Foundation

/// Differentiable bilinear resampling of an image through an affine map of coordinates, the
/// operation behind random scale, rotation, padding and jitter (Jaderberg et al. 2015's spatial
/// transformer sampler, with a constant fill outside).
///
/// Coordinates are (y, x) with pixel centres at integers. Output pixel (y, x) reads the source at
/// `map(y, x)`, interpolating the four neighbouring pixels; neighbours outside the source read
/// `fill`. The output is linear in the source pixels, so `backward` (the transpose: each output
/// gradient scattered back to the four neighbours with the same weights) is exact.
public struct AffineWarp: Equatable, Sendable {
    /// source = matrix * (y, x) + offset; matrix row-major [[yy, yx], [xy, xx]].
    public var matrix: [Float]
    public var offset: [Float]
    public var outputHeight: Int
    public var outputWidth: Int
    /// The value read outside the source (lucid pads with 0.5 grey).
    public var fill: Float

    public init(matrix: [Float] = [1, 0, 0, 1], offset: [Float] = [0, 0], outputHeight: Int, outputWidth: Int, fill: Float = 0.5) {
        self.matrix = matrix
        self.offset = offset
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.fill = fill
    }

    /// Where output pixel (y, x) reads the source.
    @inline(__always)
    func source(_ y: Int, _ x: Int) -> (Float, Float) {
        let (fy, fx) = (Float(y), Float(x))
        return (matrix[0] * fy + matrix[1] * fx + offset[0], matrix[2] * fy + matrix[3] * fx + offset[1])
    }

    /// First the map `inner` (output to intermediate), then `self` (intermediate to source): the
    /// composite output-to-source map, with `inner`'s output size.
    public func after(_ inner: AffineWarp) -> AffineWarp {
        let m = matrix, n = inner.matrix
        return AffineWarp(matrix: [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
                                   m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3]],
                          offset: [m[0] * inner.offset[0] + m[1] * inner.offset[1] + offset[0],
                                   m[2] * inner.offset[0] + m[3] * inner.offset[1] + offset[1]],
                          outputHeight: inner.outputHeight, outputWidth: inner.outputWidth, fill: fill)
    }

    /// The four neighbours of a source point and their bilinear weights (index -1: outside),
    /// as a fixed-size value: this runs once per output pixel and must not allocate.
    @inline(__always)
    private func taps(_ sy: Float, _ sx: Float, height: Int, width: Int) -> BilinearTaps {
        let y0 = Int(sy.rounded(.down)), x0 = Int(sx.rounded(.down))
        let wy = sy - Float(y0), wx = sx - Float(x0)
        @inline(__always) func index(_ y: Int, _ x: Int) -> Int {
            y >= 0 && y < height && x >= 0 && x < width ? y * width + x : -1
        }
        return BilinearTaps(pixels: (index(y0, x0), index(y0, x0 + 1), index(y0 + 1, x0), index(y0 + 1, x0 + 1)),
                            weights: ((1 - wy) * (1 - wx), (1 - wy) * wx, wy * (1 - wx), wy * wx))
    }

    /// The warped image, HWC with `channels` channels, outputHeight x outputWidth.
    public func apply(_ values: [Float], height: Int, width: Int, channels: Int) -> [Float] {
        var result = [Float](repeating: 0, count: outputHeight * outputWidth * channels)
        for y in 0..<outputHeight {
            for x in 0..<outputWidth {
                let (sy, sx) = source(y, x)
                let target = (y * outputWidth + x) * channels
                taps(sy, sx, height: height, width: width).forEach { pixel, weight in
                    guard weight != 0 else { return }
                    for channel in 0..<channels {
                        result[target + channel] += weight * (pixel >= 0 ? values[pixel * channels + channel] : fill)
                    }
                }
            }
        }
        return result
    }

    /// d objective / d source (HWC, height x width) from d objective / d output.
    public func backward(_ gradient: [Float], height: Int, width: Int, channels: Int) -> [Float] {
        var result = [Float](repeating: 0, count: height * width * channels)
        for y in 0..<outputHeight {
            for x in 0..<outputWidth {
                let (sy, sx) = source(y, x)
                let origin = (y * outputWidth + x) * channels
                taps(sy, sx, height: height, width: width).forEach { pixel, weight in
                    guard pixel >= 0 && weight != 0 else { return }
                    for channel in 0..<channels { result[pixel * channels + channel] += weight * gradient[origin + channel] }
                }
            }
        }
        return result
    }
}

/// A source point's four bilinear neighbours (row-major: top-left, top-right, bottom-left,
/// bottom-right) with their weights; a pixel index of -1 lies outside the source.
private struct BilinearTaps {
    let pixels: (Int, Int, Int, Int)
    let weights: (Float, Float, Float, Float)

    @inline(__always)
    func forEach(_ body: (Int, Float) -> Void) {
        body(pixels.0, weights.0)
        body(pixels.1, weights.1)
        body(pixels.2, weights.2)
        body(pixels.3, weights.3)
    }
}
