/// How values between samples are computed when a grid is resampled to another size: the one
/// rule of the engine for tensors (`upsample`), raw maps (`ScalarMap.resized`), images growing
/// (`Image.resized`) and pictures drawn at another size (`Canvas.drawPicture`), so a map
/// upsampled for a technique and the same map drawn on a canvas land on the same pixels.
///
/// Both modes follow PyTorch's `F.interpolate` with `align_corners=False`: output pixel centres
/// sit at half-integers, so a coarse map stays registered with the image it covers.
public enum Interpolation: String, Sendable, CaseIterable {
    /// Each output pixel copies the source pixel at floor(dst * in / out) (PyTorch "nearest"):
    /// the honest choice for small filters and activation maps, whose pixels are the data.
    case nearest
    /// Weighted mean of the two nearest source samples along each axis, at
    /// src = (dst + 0.5) * in / out - 0.5 clamped to [0, in - 1] (PyTorch "bilinear"): smooth heatmaps.
    case bilinear

    /// Where one output position reads along one axis: `value = (1 - weight) * source[first] +
    /// weight * source[second]`. Nearest taps have `first == second` and weight 0.
    struct Tap: Equatable {
        let first: Int
        let second: Int
        let weight: Float
    }

    /// `(1 - weight) * a + weight * b`, exactly `a` at weight 0 (so nearest sampling copies
    /// values, infinities included, instead of multiplying the unused neighbour by zero).
    @inline(__always)
    static func mix(_ a: Float, _ b: Float, _ weight: Float) -> Float {
        weight == 0 ? a : (1 - weight) * a + weight * b
    }

    /// The taps of each of `target` output positions along an axis of `source` samples (both >= 1).
    func taps(source: Int, target: Int) -> [Tap] {
        let scale = Float(source) / Float(target)
        return (0..<target).map { index in
            switch self {
            case .nearest:
                let position = Swift.min(Int((Float(index) * scale).rounded(.down)), source - 1)
                return Tap(first: position, second: position, weight: 0)
            case .bilinear:
                let position = Swift.min(Swift.max((Float(index) + 0.5) * scale - 0.5, 0), Float(source - 1))
                let first = Int(position.rounded(.down))
                let second = Swift.min(first + 1, source - 1)
                return Tap(first: first, second: second, weight: first == second ? 0 : position - Float(first))
            }
        }
    }

    /// Resamples `planes` row-major planes of `height` x `width`, stored one after another in
    /// `values`, to `newHeight` x `newWidth` each. All sizes must be at least 1 and `values` must
    /// hold `planes * height * width` numbers (callers check; they know the user's names).
    func resample(_ values: [Float], planes: Int = 1, height: Int, width: Int,
                  toHeight newHeight: Int, toWidth newWidth: Int) -> [Float] {
        resample(values, planes: planes, height: height, width: width,
                 rows: taps(source: height, target: newHeight), columns: taps(source: width, target: newWidth))
    }

    /// `resample` with taps computed once by the caller (who also needs them for a gradient).
    func resample(_ values: [Float], planes: Int, height: Int, width: Int, rows: [Tap], columns: [Tap]) -> [Float] {
        let newHeight = rows.count, newWidth = columns.count
        var output = [Float](repeating: 0, count: planes * newHeight * newWidth)
        for plane in 0..<planes {
            let source = plane * height * width, target = plane * newHeight * newWidth
            for (y, row) in rows.enumerated() {
                let upper = source + row.first * width, lower = source + row.second * width
                for (x, column) in columns.enumerated() {
                    let top = Interpolation.mix(values[upper + column.first], values[upper + column.second], column.weight)
                    let bottom = Interpolation.mix(values[lower + column.first], values[lower + column.second], column.weight)
                    output[target + y * newWidth + x] = Interpolation.mix(top, bottom, row.weight)
                }
            }
        }
        return output
    }
}
