import CPNG

/// PNG encoding and decoding through libpng's simplified `png_image` API.
///
/// libpng reports errors by longjmp, which Swift cannot catch; the simplified API catches
/// them itself (it sets up the setjmp inside libpng) and returns 0 with a message in
/// `image.message`, so a corrupt file becomes a Swift error, never a crash.
/// 16-bit files keep their precision; alpha is composited over white.
public enum PNGCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public static func isPNG(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && Array(bytes[0..<8]) == signature
    }

    public static func decode(_ bytes: [UInt8], source: String = "PNG data") throws -> Image {
        try checkHeaderSize(bytes, source: source)
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let began = bytes.withUnsafeBytes { buffer in
            png_image_begin_read_from_memory(&image, buffer.baseAddress, buffer.count)
        }
        guard began != 0 else { throw EngineError.format("\(source): not a readable PNG (\(message(of: image)))") }
        let width = Int(image.width), height = Int(image.height)
        try Image.validate(width: width, height: height, channels: 1)
        let isColor = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        let hasAlpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
        // 16-bit files are read as 16-bit "linear" values, which for files without a gamma
        // chunk are the stored values; asking for 8 bits would gamma-encode them.
        let isWide = image.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0
        let channels = isColor ? 3 : 1
        let stored = channels + (hasAlpha ? 1 : 0)
        image.format = (isColor ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0) | (hasAlpha ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
            | (isWide ? UInt32(PNG_FORMAT_FLAG_LINEAR) : 0)
        let count = width * height * stored
        let samples: [Float]
        if isWide {
            var raw = [UInt16](repeating: 0, count: count)
            let finished = raw.withUnsafeMutableBytes { buffer in
                png_image_finish_read(&image, nil, buffer.baseAddress, Int32(width * stored), nil)
            }
            guard finished != 0 else { throw EngineError.format("\(source): corrupt PNG (\(message(of: image)))") }
            samples = raw.map { Float($0) / 65535 }
        } else {
            var raw = [UInt8](repeating: 0, count: count)
            let finished = raw.withUnsafeMutableBytes { buffer in
                png_image_finish_read(&image, nil, buffer.baseAddress, Int32(width * stored), nil)
            }
            guard finished != 0 else { throw EngineError.format("\(source): corrupt PNG (\(message(of: image)))") }
            samples = raw.map { Float($0) / 255 }
        }
        guard hasAlpha else { return Image(validWidth: width, height: height, channels: channels, pixels: samples) }
        var pixels = [Float](repeating: 0, count: width * height * channels)
        for pixel in 0..<(width * height) {
            let alpha = samples[pixel * stored + channels]
            for channel in 0..<channels {
                let value = samples[pixel * stored + channel]
                // libpng's 16-bit linear output is premultiplied by alpha; 8-bit output is not.
                pixels[pixel * channels + channel] = (isWide ? value : value * alpha) + (1 - alpha)
            }
        }
        return Image(validWidth: width, height: height, channels: channels, pixels: pixels)
    }

    /// Refuses oversized images from the IHDR chunk alone, before libpng allocates anything.
    private static func checkHeaderSize(_ bytes: [UInt8], source: String) throws {
        guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return }
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        guard width > 0, height > 0, width * height <= Image.maximumPixels else {
            throw EngineError.invalid("\(source): PNG of \(width)x\(height) pixels is over the \(Image.maximumPixels / 1_000_000) megapixel limit")
        }
    }

    /// 8-bit PNG bytes (gray or RGB as the image is); values are clamped and rounded.
    public static func encode(_ picture: Image) throws -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(picture.width)
        image.height = UInt32(picture.height)
        image.format = picture.channels == 3 ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0
        defer { png_image_free(&image) }
        let raw = picture.pixels.map { UInt8((min(max($0.isNaN ? 0 : $0, 0), 1) * 255).rounded()) }
        let stride = Int32(picture.width * picture.channels)
        var size = 0
        // First call measures, second writes.
        let measured = raw.withUnsafeBytes { buffer in
            png_image_write_to_memory(&image, nil, &size, 0, buffer.baseAddress, stride, nil)
        }
        guard measured != 0, size > 0 else { throw EngineError.format("PNG encoding failed (\(message(of: image)))") }
        var output = [UInt8](repeating: 0, count: size)
        let written = raw.withUnsafeBytes { buffer in
            output.withUnsafeMutableBytes { destination in
                png_image_write_to_memory(&image, destination.baseAddress, &size, 0, buffer.baseAddress, stride, nil)
            }
        }
        guard written != 0 else { throw EngineError.format("PNG encoding failed (\(message(of: image)))") }
        return Array(output[0..<size])
    }

    private static func message(of image: png_image) -> String {
        var copy = image.message
        return withUnsafeBytes(of: &copy) { buffer in
            String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
