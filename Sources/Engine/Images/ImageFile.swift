import Foundation

/// Reading and writing image files, choosing the codec by the file's first bytes.
public enum ImageFile {
    /// Loads a PNG or JPEG file (a regular file of at most `BoundedFile.Kind.image.limit` bytes);
    /// anything else is refused with a message naming the file.
    public static func load(path: String) throws -> Image {
        let bytes = try BoundedFile.read(path, as: .image)
        return try decode(bytes, source: (path as NSString).lastPathComponent)
    }

    /// Decodes PNG or JPEG bytes.
    public static func decode(_ bytes: [UInt8], source: String) throws -> Image {
        if PNGCodec.isPNG(bytes) { return try PNGCodec.decode(bytes, source: source) }
        if JPEGCodec.isJPEG(bytes) { return try JPEGCodec.decode(bytes, source: source) }
        throw EngineError.format("\(source): not an image (PNG or JPEG expected, the file starts with \(describe(bytes.prefix(8))))")
    }

    /// Writes a PNG file atomically.
    public static func writePNG(_ image: Image, to path: String) throws {
        try BoundedFile.write(Data(try PNGCodec.encode(image)), to: path)
    }

    private static func describe(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.isEmpty { return "nothing (empty file)" }
        return bytes.map { byte in
            (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
        }.joined()
    }
}
