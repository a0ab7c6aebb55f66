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

    /// The value below which `fraction` (0...1) of the finite values lie (`Quantile.ofSorted`,
    /// NumPy's default method); 0 when no value is finite.
    public func quantile(_ fraction: Float) -> Float {
        Quantile.ofSorted(values.filter(\.isFinite).sorted(), fraction)
    }

    /// Resampled to a new size by `Interpolation.bilinear` (half-pixel centres, PyTorch's
    /// `align_corners=False`), so a coarse map stays registered with the image it covers.
    public func resized(height newHeight: Int, width newWidth: Int) -> ScalarMap {
        guard newHeight > 0, newWidth > 0 else { return self }
        if newHeight == height && newWidth == width { return self }
        return ScalarMap(validHeight: newHeight, width: newWidth,
                         values: Interpolation.bilinear.resample(values, height: height, width: width,
                                                                 toHeight: newHeight, toWidth: newWidth))
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
