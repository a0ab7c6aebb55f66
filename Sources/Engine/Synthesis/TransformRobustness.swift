import Foundation

/// The random transformations applied to the image before each step of Fourier feature
/// visualization, so the result must survive small shifts, scalings and rotations (Olah et al.
/// 2017, "Feature Visualization", Distill, "Transformation robustness"; lucid's
/// `transform.standard_transforms`): pad 12 (grey 0.5), jitter 8, scale by one of 0.90, 0.92, ...,
/// 1.10, rotate by a whole number of degrees in -10...10, jitter 4.
///
/// Lucid applies them one after another, each resampling; here they are composed into one affine
/// map and sampled once (bilinear, half-pixel centres for the scale, rotation about the centre),
/// and the same map resamples the result to the network's input size, so networks with a fixed
/// input size (a flatten before a linear layer) take it too.
public struct TransformRobustness: Sendable {
    public var pad = 12
    public var firstJitter = 8
    public var scales: [Float] = (0...10).map { 1 + Float($0 - 5) / 50 }
    public var degrees: [Int] = Array(-10...10)
    public var secondJitter = 4

    public init() {}

    /// A random draw: the map from the network's input (height x width) to the image's pixels
    /// (also height x width), with the random choices made in lucid's order.
    public func draw(height: Int, width: Int, random: inout SeededRandom) -> AffineWarp {
        let first = (random.integer(in: 0..<(firstJitter + 1)), random.integer(in: 0..<(firstJitter + 1)))
        let scale = scales.isEmpty ? 1 : scales[random.integer(in: 0..<scales.count)]
        let angle = degrees.isEmpty ? 0 : Float(degrees[random.integer(in: 0..<degrees.count)]) * .pi / 180
        let second = (random.integer(in: 0..<(secondJitter + 1)), random.integer(in: 0..<(secondJitter + 1)))
        return map(height: height, width: width, firstJitter: first, scale: scale, angle: angle, secondJitter: second)
    }

    /// The composite map for given choices (jitters as crop offsets (dy, dx), angle in radians).
    public func map(height: Int, width: Int, firstJitter first: (Int, Int), scale: Float, angle: Float,
                    secondJitter second: (Int, Int)) -> AffineWarp {
        // Sizes along the way: padded, after the first crop, after scaling, after the second crop.
        let cropped = (height + 2 * pad - firstJitter, width + 2 * pad - firstJitter)
        let scaled = (Swift.max(1, Int((Float(cropped.0) * scale).rounded())), Swift.max(1, Int((Float(cropped.1) * scale).rounded())))
        let final = (Swift.max(1, scaled.0 - secondJitter), Swift.max(1, scaled.1 - secondJitter))
        // Each step maps its output coordinates to its input's, from the network's end backwards.
        let toNetwork = AffineWarp.resize(from: (height, width), to: final)
        let secondCrop = AffineWarp(offset: [Float(second.0), Float(second.1)], outputHeight: final.0, outputWidth: final.1)
        let rotation = AffineWarp.rotation(angle, height: scaled.0, width: scaled.1)
        let scaling = AffineWarp.resize(from: scaled, to: cropped)
        let firstCrop = AffineWarp(offset: [Float(first.0), Float(first.1)], outputHeight: cropped.0, outputWidth: cropped.1)
        let padding = AffineWarp(offset: [Float(-pad), Float(-pad)], outputHeight: height + 2 * pad, outputWidth: width + 2 * pad)
        return padding.after(firstCrop).after(scaling).after(rotation).after(secondCrop).after(toNetwork)
    }
}

extension AffineWarp {
    /// Output of size `output` reading a source of size `source`, half-pixel centres:
    /// source = (output + 0.5) * source / output - 0.5 per axis.
    static func resize(from output: (Int, Int), to source: (Int, Int)) -> AffineWarp {
        let sy = Float(source.0) / Float(output.0), sx = Float(source.1) / Float(output.1)
        return AffineWarp(matrix: [sy, 0, 0, sx], offset: [0.5 * sy - 0.5, 0.5 * sx - 0.5],
                          outputHeight: output.0, outputWidth: output.1)
    }

    /// The image rotated by `angle` radians about its centre (same size): output point p reads
    /// c + R(-angle) (p - c).
    static func rotation(_ angle: Float, height: Int, width: Int) -> AffineWarp {
        let (c, s) = (cos(angle), sin(angle))
        let (cy, cx) = (Float(height - 1) / 2, Float(width - 1) / 2)
        let matrix: [Float] = [c, s, -s, c]
        return AffineWarp(matrix: matrix, offset: [cy - (matrix[0] * cy + matrix[1] * cx), cx - (matrix[2] * cy + matrix[3] * cx)],
                          outputHeight: height, outputWidth: width)
    }
}
