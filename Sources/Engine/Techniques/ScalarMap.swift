/// A 2-D grid of raw values (a saliency map, one activation channel, an occlusion heatmap),
/// kept at the resolution it was computed at and before any normalization or colouring.
///
/// Techniques return these so that `save(x, "f.npy")` exports the numbers the picture was
/// drawn from; tone mapping and colormaps happen only when rendering.
public struct ScalarMap: Equatable, Sendable {
    public let height: Int
    public let width: Int
    /// Row-major, `height * width` values.
    public var values: [Float]

    /// Creates a map; throws if the value count does not match the size.
    public init(height: Int, width: Int, values: [Float]) throws {
        guard height > 0, width > 0 else {
            throw EngineError.invalid("map: size \(height) x \(width) must be positive")
        }
        guard values.count == height * width else {
            throw EngineError.shapeMismatch("map: \(height) x \(width) needs \(height * width) values, got \(values.count)")
        }
        self.height = height
        self.width = width
        self.values = values
    }

    /// Internal initializer for sizes that are correct by construction.
    init(validHeight height: Int, width: Int, values: [Float]) {
        self.height = height
        self.width = width
        self.values = values
    }

    /// The value at row `y`, column `x`.
    public subscript(y: Int, x: Int) -> Float {
        get { values[y * width + x] }
        set { values[y * width + x] = newValue }
    }

    /// Smallest and largest value.
    public var range: (minimum: Float, maximum: Float) {
        var low = Float.infinity
        var high = -Float.infinity
        for value in values {
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        return (low, high)
    }

    /// Row and column of the largest value (the first one on ties).
    public var argmax: (y: Int, x: Int) {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return (best / width, best % width)
    }

    /// The value below which `fraction` (0...1) of the values lie, by linear interpolation
    /// between order statistics (NumPy's default `percentile` method).
    public func quantile(_ fraction: Float) -> Float {
        let sorted = values.sorted()
        let position = Swift.min(Swift.max(fraction, 0), 1) * Float(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let weight = position - Float(lower)
        return sorted[lower] * (1 - weight) + sorted[upper] * weight
    }

    /// Bilinear resampling to a new size with half-pixel centres (PyTorch's
    /// `align_corners=False`), so a coarse map stays registered with the image it covers.
    public func resized(height newHeight: Int, width newWidth: Int) -> ScalarMap {
        guard newHeight > 0, newWidth > 0 else { return self }
        if newHeight == height && newWidth == width { return self }
        let rows = ScalarMap.samplePositions(source: height, target: newHeight)
        let columns = ScalarMap.samplePositions(source: width, target: newWidth)
        var output = [Float](repeating: 0, count: newHeight * newWidth)
        for y in 0..<newHeight {
            let (y0, y1, wy) = rows[y]
            for x in 0..<newWidth {
                let (x0, x1, wx) = columns[x]
                let top = values[y0 * width + x0] * (1 - wx) + values[y0 * width + x1] * wx
                let bottom = values[y1 * width + x0] * (1 - wx) + values[y1 * width + x1] * wx
                output[y * newWidth + x] = top * (1 - wy) + bottom * wy
            }
        }
        return ScalarMap(validHeight: newHeight, width: newWidth, values: output)
    }

    /// For each target index: the two source indices and the weight of the second.
    /// NOTE: source coordinates below 0 are clamped to 0, as PyTorch does.
    static func samplePositions(source: Int, target: Int) -> [(Int, Int, Float)] {
        let scale = Float(source) / Float(target)
        return (0..<target).map { index in
            let coordinate = Swift.max((Float(index) + 0.5) * scale - 0.5, 0)
            let lower = Swift.min(Int(coordinate), source - 1)
            let upper = Swift.min(lower + 1, source - 1)
            return (lower, upper, coordinate - Float(lower))
        }
    }

    /// Element-wise product of two maps of the same size (guided Grad-CAM).
    public static func * (left: ScalarMap, right: ScalarMap) throws -> ScalarMap {
        guard left.height == right.height, left.width == right.width else {
            throw EngineError.shapeMismatch("map product: \(left.height) x \(left.width) vs \(right.height) x \(right.width)")
        }
        return ScalarMap(validHeight: left.height, width: left.width,
                         values: zip(left.values, right.values).map { $0 * $1 })
    }
}
