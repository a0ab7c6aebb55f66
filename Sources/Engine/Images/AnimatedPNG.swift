import Foundation

/// Animated PNG (APNG 1.0, Mozilla; https://wiki.mozilla.org/APNG_Specification): a PNG whose
/// IDAT is the first frame (so viewers without APNG show it), preceded by an acTL chunk (frame
/// count, plays) and an fcTL (frame control) chunk, and followed by each later frame as fcTL +
/// fdAT (IDAT's data behind a sequence number). Sequence numbers count fcTL and fdAT chunks from 0.
/// Each frame is compressed by libpng (`PNGCodec.encode`) and its IDAT data reused.
public enum AnimatedPNG {
    /// Encodes `frames` (same size and channels) shown `delay` seconds each, looping forever.
    /// - Throws: `EngineError.invalid` for no frames, frames of different sizes, or a delay
    ///   outside 0...655 s (fcTL's delay is a 16-bit fraction, here in hundredths).
    public static func encode(_ frames: [Image], delay: Double = 0.2) throws -> [UInt8] {
        guard let first = frames.first else { throw EngineError.invalid("animated PNG: no frames to write") }
        guard frames.allSatisfy({ $0.width == first.width && $0.height == first.height && $0.channels == first.channels }) else {
            throw EngineError.invalid("animated PNG: every frame must be \(first.width)x\(first.height) with \(first.channels) channels")
        }
        guard delay.isFinite, delay >= 0, delay <= 655 else { throw EngineError.invalid("animated PNG: delay \(delay) s is outside 0 to 655") }
        let encoded = try frames.map { try chunks(of: PNGCodec.encode($0)) }
        guard let header = encoded[0].first(where: { $0.type == "IHDR" }) else {
            throw EngineError.invalid("animated PNG: the encoder wrote no IHDR")
        }
        var output: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]
        append(&output, "IHDR", header.data)
        append(&output, "acTL", bigEndian(UInt32(frames.count)) + bigEndian(UInt32(0)))
        var sequence: UInt32 = 0
        let hundredths = UInt16((delay * 100).rounded())
        for (index, frame) in encoded.enumerated() {
            // fcTL: sequence, width, height, x offset, y offset, delay num/den, dispose 0 (none), blend 0 (source).
            let control = bigEndian(sequence) + bigEndian(UInt32(first.width)) + bigEndian(UInt32(first.height))
                + bigEndian(UInt32(0)) + bigEndian(UInt32(0)) + bigEndian16(hundredths) + bigEndian16(100) + [0, 0]
            append(&output, "fcTL", control)
            sequence += 1
            for chunk in frame where chunk.type == "IDAT" {
                if index == 0 {
                    append(&output, "IDAT", chunk.data)
                } else {
                    append(&output, "fdAT", bigEndian(sequence) + chunk.data)
                    sequence += 1
                }
            }
        }
        append(&output, "IEND", [])
        return output
    }

    /// The chunks of a PNG file after its signature.
    /// - Throws: `EngineError.invalid` for a truncated file.
    public static func chunks(of bytes: [UInt8]) throws -> [(type: String, data: [UInt8])] {
        var result: [(type: String, data: [UInt8])] = []
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard offset + 12 + length <= bytes.count else { throw EngineError.invalid("PNG: chunk at byte \(offset) runs past the end") }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            result.append((type, Array(bytes[(offset + 8)..<(offset + 8 + length)])))
            offset += 12 + length
        }
        return result
    }

    private static func append(_ output: inout [UInt8], _ type: String, _ data: [UInt8]) {
        let typeBytes = Array(type.utf8)
        output += bigEndian(UInt32(data.count))
        output += typeBytes
        output += data
        output += bigEndian(crc32(typeBytes + data))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    private static func bigEndian16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }

    /// CRC-32 (ISO 3309, polynomial 0xEDB88320 reflected) over a chunk's type and data, PNG section 5.5.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8)
        }
        return crc ^ 0xffff_ffff
    }

    private static let crcTable: [UInt32] = (0..<256).map { index -> UInt32 in
        var c = UInt32(index)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
