import Foundation

/// One placement of a square adversarial patch on an image: where its centre lands, how much it
/// is scaled and rotated (Brown et al. 2017, "Adversarial patch", section 2: the patch application
/// operator A(p, x, l, t) for location l and transformation t).
///
/// The patch (side x side pixels, HWC) is resampled bilinearly into the image's frame by an
/// `AffineWarp` with fill 0; a mask made the same way from an all-ones patch says how much of each
/// image pixel the patch covers (1 inside, fractional along the edges), so
///
///     patched = image * (1 - mask) + warp(patch)
///
/// is linear in the patch, and its gradient with respect to the patch is the warp's transpose
/// (`AffineWarp.backward`) of the gradient with respect to the patched image.
public struct PatchPlacement: Equatable, Sendable {
    /// Patch coordinates read by each image pixel (output = the image, source = the patch).
    public let warp: AffineWarp
    public let side: Int

    /// The patch's centre at `center` (y, x; pixel centres at integers) of a height x width image,
    /// its side multiplied by `scale`, rotated by `angle` radians (counter-clockwise as displayed).
    public init(side: Int, height: Int, width: Int, center: (Float, Float), scale: Float, angle: Float) {
        self.side = side
        // Image point p reads the patch at R(-angle) (p - center) / scale + patch centre.
        let (c, s) = (cos(angle) / scale, sin(angle) / scale)
        let middle = Float(side - 1) / 2
        let matrix: [Float] = [c, s, -s, c]
        warp = AffineWarp(matrix: matrix,
                          offset: [middle - (matrix[0] * center.0 + matrix[1] * center.1),
                                   middle - (matrix[2] * center.0 + matrix[3] * center.1)],
                          outputHeight: height, outputWidth: width, fill: 0)
    }

    /// A random placement: scale uniform in `scales`, angle uniform in `degrees` (in degrees), and
    /// the centre uniform over the places where the whole patch, rotated, stays inside the image
    /// (the image's centre when it cannot).
    public static func random(side: Int, height: Int, width: Int, scales: ClosedRange<Float>,
                              degrees: ClosedRange<Float>, random: inout SeededRandom) -> PatchPlacement {
        let scale = random.uniform(scales.lowerBound, scales.upperBound)
        let angle = random.uniform(degrees.lowerBound, degrees.upperBound) * .pi / 180
        // Half the rotated square's bounding box, in pixels.
        let half = Float(side) * scale * (abs(cos(angle)) + abs(sin(angle))) / 2
        func coordinate(_ size: Int) -> Float {
            let low = half - 0.5, high = Float(size) - 0.5 - half
            return high > low ? random.uniform(low, high) : Float(size - 1) / 2
        }
        let y = coordinate(height), x = coordinate(width)
        return PatchPlacement(side: side, height: height, width: width, center: (y, x), scale: scale, angle: angle)
    }

    /// How much of each image pixel the patch covers (height x width, 0...1).
    public var mask: [Float] {
        warp.apply([Float](repeating: 1, count: side * side), height: side, width: side, channels: 1)
    }

    /// The image (HWC, the warp's output size) with the patch (side x side, HWC) pasted on it.
    public func apply(patch: [Float], to image: [Float], channels: Int) -> [Float] {
        let covered = mask
        var result = warp.apply(patch, height: side, width: side, channels: channels)
        for pixel in covered.indices where covered[pixel] < 1 {
            for channel in 0..<channels {
                result[pixel * channels + channel] += (1 - covered[pixel]) * image[pixel * channels + channel]
            }
        }
        return result
    }

    /// d objective / d patch (side x side, HWC) from d objective / d patched image.
    public func patchGradient(_ gradient: [Float], channels: Int) -> [Float] {
        warp.backward(gradient, height: side, width: side, channels: channels)
    }
}
