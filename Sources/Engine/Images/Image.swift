/// A picture in memory: `channels` (1 gray or 3 RGB) values per pixel, row-major HWC, in 0...1.
///
/// Floats in 0...1 are what every technique wants (normalisation, blending, gradients);
/// 8-bit and 16-bit files are converted on read and quantised on write. Alpha is not kept:
/// files with alpha are composited over white on read, since notebooks show them on white.
public struct Image: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public var pixels: [Float]

    /// Pictures larger than this are refused: 50 megapixels is far beyond what a CNN lecture
    /// needs and keeps a stray huge file from exhausting memory.
    public static let maximumPixels = 50_000_000

    /// Creates an image; throws if the sizes are invalid or the pixel count does not match.
    public init(width: Int, height: Int, channels: Int, pixels: [Float]) throws {
        try Image.validate(width: width, height: height, channels: channels)
        guard pixels.count == width * height * channels else {
            throw EngineError.shapeMismatch("image \(width)x\(height)x\(channels) needs \(width * height * channels) values, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A uniform image.
    public init(width: Int, height: Int, channels: Int, value: Float) throws {
        try Image.validate(width: width, height: height, channels: channels)
        try self.init(width: width, height: height, channels: channels,
                      pixels: [Float](repeating: value, count: width * height * channels))
    }

    /// For code that has already validated the sizes.
    init(validWidth width: Int, height: Int, channels: Int, pixels: [Float]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    static func validate(width: Int, height: Int, channels: Int) throws {
        guard channels == 1 || channels == 3 else {
            throw EngineError.invalid("image must have 1 (gray) or 3 (RGB) channels, not \(channels)")
        }
        guard width > 0, height > 0 else {
            throw EngineError.invalid("image size \(width)x\(height) must be positive")
        }
        guard width <= maximumPixels, height <= maximumPixels, width * height <= maximumPixels else {
            throw EngineError.invalid("image of \(width)x\(height) pixels is over the \(maximumPixels / 1_000_000) megapixel limit")
        }
    }

    /// The value at (x, y, channel); no bounds check beyond the array's.
    @inline(__always)
    public func value(x: Int, y: Int, channel: Int) -> Float {
        pixels[(y * width + x) * channels + channel]
    }

    /// Values clamped into 0...1 (after an optimisation that overshot), NaN becoming 0.
    public func clamped() -> Image {
        Image(validWidth: width, height: height, channels: channels,
              pixels: pixels.map { $0.isNaN ? 0 : min(max($0, 0), 1) })
    }
}
