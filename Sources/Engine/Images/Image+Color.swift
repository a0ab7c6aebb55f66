/// Colour conversion between gray and RGB.
extension Image {
    /// Gray by the ITU-R BT.601 luma weights (what PIL's convert("L") uses); gray images are returned as is.
    public func grayscale() -> Image {
        guard channels == 3 else { return self }
        var result = [Float](repeating: 0, count: width * height)
        for pixel in 0..<(width * height) {
            result[pixel] = 0.299 * pixels[pixel * 3] + 0.587 * pixels[pixel * 3 + 1] + 0.114 * pixels[pixel * 3 + 2]
        }
        return Image(validWidth: width, height: height, channels: 1, pixels: result)
    }

    /// RGB with the gray value in all three channels; RGB images are returned as is.
    public func rgb() -> Image {
        guard channels == 1 else { return self }
        var result = [Float](repeating: 0, count: width * height * 3)
        for pixel in 0..<(width * height) {
            let value = pixels[pixel]
            result[pixel * 3] = value
            result[pixel * 3 + 1] = value
            result[pixel * 3 + 2] = value
        }
        return Image(validWidth: width, height: height, channels: 3, pixels: result)
    }

    /// The image with `channels` channels (1 or 3), converting if needed.
    public func converted(toChannels target: Int) throws -> Image {
        switch target {
        case 1: return grayscale()
        case 3: return rgb()
        default: throw EngineError.invalid("images have 1 or 3 channels, not \(target)")
        }
    }
}
