import Foundation

/// Where each output pixel of an ONNX Resize (opset 11+) or Upsample (opset 9) reads its input,
/// as the operator defines it (https://onnx.ai/onnx/operators/onnx__Resize.html): an output
/// coordinate is mapped back to an input coordinate by `coordinateTransformation`, then
/// rounded (`nearest`) or split between its two neighbours (`linear`).
///
/// Only the transformations and modes vision exports use are here; the importer refuses the
/// others (cubic, tf_crop_and_resize, antialiasing) naming the attribute.
public struct ResizeSampling: Equatable, Sendable {
    public enum Mode: String, Equatable, Sendable {
        case nearest, linear
    }

    /// ONNX `coordinate_transformation_mode`: the input coordinate of output index i along an
    /// axis of `input` values resized to `output` values with scale s.
    public enum CoordinateTransformation: String, Equatable, Sendable, CaseIterable {
        /// (i + 0.5) / s − 0.5 (PyTorch align_corners=False; ONNX's default).
        case halfPixel = "half_pixel"
        /// Like half_pixel, but 0 when the output has one value (PyTorch's own rule).
        case pytorchHalfPixel = "pytorch_half_pixel"
        /// i / s (Upsample's rule, PyTorch nearest).
        case asymmetric
        /// i · (input − 1) / (output − 1), 0 for a one-value output (PyTorch align_corners=True).
        case alignCorners = "align_corners"
    }

    /// ONNX `nearest_mode`: how a fractional input coordinate picks one value.
    public enum NearestRounding: String, Equatable, Sendable, CaseIterable {
        /// ONNX's default.
        case roundPreferFloor = "round_prefer_floor"
        case roundPreferCeil = "round_prefer_ceil"
        case floor, ceil
        /// Upsample's rule in onnxruntime (its UpsampleBase "simple" mode): floor when
        /// enlarging, ceil when shrinking.
        case simple
    }

    public var mode: Mode
    public var coordinateTransformation: CoordinateTransformation
    public var nearestRounding: NearestRounding

    public init(mode: Mode, coordinateTransformation: CoordinateTransformation = .halfPixel,
                nearestRounding: NearestRounding = .roundPreferFloor) {
        self.mode = mode
        self.coordinateTransformation = coordinateTransformation
        self.nearestRounding = nearestRounding
    }

    /// The taps of `output` positions along an axis of `input` values (both >= 1), for the
    /// scale `scale` (output / input as the model states it: ONNX uses the stated scale, not
    /// the ratio of the rounded sizes, when scales are given).
    func taps(input: Int, output: Int, scale: Double) -> [Interpolation.Tap] {
        (0..<output).map { index in
            let x = coordinate(Float(index), input: input, output: output, scale: Float(scale))
            switch mode {
            case .nearest:
                let position = min(max(rounded(x, scale: scale), 0), input - 1)
                return Interpolation.Tap(first: position, second: position, weight: 0)
            case .linear:
                // onnxruntime clamps the coordinate into the input, so the border repeats.
                let clamped = min(max(x, 0), Float(input - 1))
                let first = Int(clamped.rounded(.down))
                let second = min(first + 1, input - 1)
                return Interpolation.Tap(first: first, second: second, weight: first == second ? 0 : clamped - Float(first))
            }
        }
    }

    /// Float arithmetic in the order onnxruntime computes it, so that halves land on the same side.
    private func coordinate(_ i: Float, input: Int, output: Int, scale: Float) -> Float {
        switch coordinateTransformation {
        case .halfPixel: return (i + 0.5) / scale - 0.5
        case .pytorchHalfPixel: return output > 1 ? (i + 0.5) / scale - 0.5 : 0
        case .asymmetric: return i / scale
        case .alignCorners: return output == 1 ? 0 : i * Float(input - 1) / Float(output - 1)
        }
    }

    private func rounded(_ x: Float, scale: Double) -> Int {
        let value: Float
        switch nearestRounding {
        case .roundPreferFloor: value = x == x.rounded(.down) + 0.5 ? x.rounded(.down) : x.rounded()
        case .roundPreferCeil: value = x == x.rounded(.down) + 0.5 ? x.rounded(.up) : x.rounded()
        case .floor: value = x.rounded(.down)
        case .ceil: value = x.rounded(.up)
        case .simple: value = scale < 1 ? x.rounded(.up) : x.rounded(.towardZero)
        }
        // Far outside any image: clamp before converting so a hostile scale cannot trap.
        return Int(min(max(value, -1), Float(Int32.max)))
    }
}

extension Tensor {
    /// [..., H, W] resized to [..., height, width] by `sampling` with the stated scales
    /// (output / input per axis), differentiable. Throws `EngineError.invalid` for an empty
    /// input or output or a non-positive scale.
    public func resized(height: Int, width: Int, scales: (height: Double, width: Double), sampling: ResizeSampling) throws -> Tensor {
        guard rank >= 2, shape[rank - 2] >= 1, shape[rank - 1] >= 1 else { throw EngineError.invalid("resize: input \(shape) has no plane to resize") }
        guard height >= 1, width >= 1 else { throw EngineError.invalid("resize: output size \(height)×\(width) is empty") }
        guard scales.height > 0, scales.width > 0, scales.height.isFinite, scales.width.isFinite else {
            throw EngineError.invalid("resize: scales \(scales.height), \(scales.width) must be positive")
        }
        return resampled(rows: sampling.taps(input: shape[rank - 2], output: height, scale: scales.height),
                         columns: sampling.taps(input: shape[rank - 1], output: width, scale: scales.width))
    }
}
