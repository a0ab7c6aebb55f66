/// EXIF APP1 segments written byte by byte, as a camera writes them, for the orientation tests
/// and the file fuzzer's JPEG seeds.
///
/// Layout (EXIF 2.32 §4.5.4, TIFF 6.0 section 2): FF E1, a big-endian length that counts
/// itself, "Exif\0\0", then the TIFF structure: byte order ("II" little-endian, "MM"
/// big-endian), 42, the offset of IFD0 (8), then IFD0 with its entries in ascending tag order,
/// as TIFF requires: Make (0x010F, ASCII, its text stored after the IFD because it is longer
/// than 4 bytes) and Orientation (0x0112, SHORT, count 1, left-justified in the value field),
/// then a zero "next IFD" offset.
enum TestExif {
    /// The whole APP1 segment, marker included.
    static func segment(orientation: Int, bigEndian: Bool) -> [UInt8] {
        segment(tiff: tiff(orientation: orientation, bigEndian: bigEndian))
    }

    /// An APP1 segment around arbitrary TIFF bytes (for malformed structures).
    static func segment(tiff: [UInt8]) -> [UInt8] {
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    /// The TIFF structure alone; `orientationType` lets a test write the tag with a wrong type.
    static func tiff(orientation: Int, bigEndian: Bool, orientationType: Int = 3) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] {
            let bytes = [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)]
            return bigEndian ? bytes.reversed() : bytes
        }
        func u32(_ value: Int) -> [UInt8] {
            let bytes = (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) }
            return bigEndian ? bytes.reversed() : bytes
        }
        let make = Array("Phone".utf8) + [0]
        let ifdOffset = 8, entryCount = 2
        let makeOffset = ifdOffset + 2 + 12 * entryCount + 4
        var bytes: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        bytes += u16(42) + u32(ifdOffset)
        bytes += u16(entryCount)
        bytes += u16(0x010F) + u16(2) + u32(make.count) + u32(makeOffset)
        bytes += u16(0x0112) + u16(orientationType) + u32(1) + u16(orientation) + [0, 0]
        bytes += u32(0)
        return bytes + make
    }

    /// `jpeg` with `segment` inserted right after SOI (where phones put it).
    static func splice(_ segment: [UInt8], into jpeg: [UInt8]) -> [UInt8] {
        Array(jpeg.prefix(2)) + segment + Array(jpeg.dropFirst(2))
    }
}
