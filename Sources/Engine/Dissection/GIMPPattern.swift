/// GIMP's pattern file (`.pat`, GIMP's own format, documented in GIMP's devel-docs/pat.txt):
/// a big-endian header of 32-bit words `header_size, version (1), width, height, bytes per
/// pixel (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA)`, the magic `GPAT`, the pattern's UTF-8 name
/// (NUL-terminated, up to `header_size`), then `width * height * bytes` 8-bit samples, row-major.
///
/// The texture concepts of the broden-lite dissection set are GIMP's photographed patterns
/// (Debian `gimp-data`), tiled into regions.
public enum GIMPPattern {
    /// The largest side accepted: GIMP's own patterns are at most a few hundred pixels.
    static let maximumSide = 4_096

    /// Decodes `bytes` to a 3-channel image in 0...1 (gray repeated; alpha ignored: GIMP's
    /// photographed patterns are opaque) and the name stored in the file.
    /// Throws `EngineError.format` naming `source` when the header or the size is wrong.
    public static func decode(_ bytes: [UInt8], source: String) throws -> (image: Image, name: String) {
        func word(_ index: Int) -> Int {
            let at = index * 4
            return Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        guard bytes.count >= 24, Array(bytes[20..<24]) == Array("GPAT".utf8) else {
            throw EngineError.format("\(source): not a GIMP pattern (no GPAT magic at byte 20)")
        }
        let (headerSize, version, width, height, depth) = (word(0), word(1), word(2), word(3), word(4))
        guard version == 1 else { throw EngineError.format("\(source): GIMP pattern version \(version), expected 1") }
        guard (1...4).contains(depth) else {
            throw EngineError.format("\(source): \(depth) bytes per pixel; a GIMP pattern has 1 to 4")
        }
        guard (1...maximumSide).contains(width), (1...maximumSide).contains(height) else {
            throw EngineError.format("\(source): pattern size \(width)x\(height) is outside 1...\(maximumSide)")
        }
        guard headerSize >= 24, headerSize + width * height * depth <= bytes.count else {
            throw EngineError.format("\(source): header of \(headerSize) bytes and \(width)x\(height)x\(depth) samples "
                                     + "need more than the file's \(bytes.count) bytes")
        }
        let nameBytes = bytes[24..<headerSize].prefix { $0 != 0 }
        let name = String(decoding: nameBytes, as: UTF8.self)
        var pixels = [Float](repeating: 0, count: width * height * 3)
        let colour = depth >= 3
        for index in 0..<(width * height) {
            let at = headerSize + index * depth
            for channel in 0..<3 {
                pixels[index * 3 + channel] = Float(bytes[at + (colour ? channel : 0)]) / 255
            }
        }
        return (Image(validWidth: width, height: height, channels: 3, pixels: pixels), name)
    }
}
