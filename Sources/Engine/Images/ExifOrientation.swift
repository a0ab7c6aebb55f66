/// The EXIF Orientation of a JPEG: how the stored (sensor-order) pixels must be turned to be
/// seen the way the camera was held.
///
/// Phones store a portrait photo as a landscape array and set tag 0x0112 (Orientation: TIFF 6.0
/// section 8, p. 36; EXIF 2.32 §4.6.4 A) instead of rotating the pixels; every viewer applies
/// it, so a decoder that ignores it shows the photo sideways. The raw value says where the stored
/// 0th row and 0th column go on screen; the case names say what that does to the picture.
///
/// Reading follows EXIF 2.32 §4.5.4 (JPEG compressed data: an APP1 segment, marker FFE1, a
/// big-endian length, the identifier "Exif\0\0", then a TIFF structure) and TIFF 6.0 section 2
/// (an 8-byte header of byte order "II"/"MM", the number 42 and the offset of IFD0; an IFD is a
/// 2-byte entry count and 12-byte entries of tag, type, count and a 4-byte value field that
/// holds a single SHORT left-justified). Markers are walked per ITU T.81 §B.1.1: fill bytes
/// 0xFF may precede a marker, and TEM, RSTn and SOI stand alone without a length. Anything
/// malformed, truncated or out of range reads as `.identity`: a broken tag must never make a
/// readable photo unreadable.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    /// 1: 0th row at the top, 0th column on the left.
    case identity = 1
    /// 2: 0th row at the top, 0th column on the right.
    case mirrorHorizontal = 2
    /// 3: 0th row at the bottom, 0th column on the right.
    case rotate180 = 3
    /// 4: 0th row at the bottom, 0th column on the left.
    case mirrorVertical = 4
    /// 5: 0th row on the left, 0th column at the top (mirror horizontally, then rotate 270° clockwise).
    case transpose = 5
    /// 6: 0th row on the right, 0th column at the top (the usual portrait phone photo).
    case rotate90Clockwise = 6
    /// 7: 0th row on the right, 0th column at the bottom (mirror horizontally, then rotate 90° clockwise).
    case transverse = 7
    /// 8: 0th row on the left, 0th column at the bottom (rotate 90° counter-clockwise).
    case rotate270Clockwise = 8

    /// Whether the displayed picture is the stored one with width and height exchanged.
    public var swapsDimensions: Bool { rawValue >= 5 }

    /// The orientation recorded in the first EXIF APP1 segment before the scan starts; `.identity`
    /// when there is none or it cannot be read.
    public init(jpeg bytes: [UInt8]) {
        self = ExifOrientation.findExifPayload(in: bytes).map(ExifOrientation.init(tiff:)) ?? .identity
    }

    /// The orientation in a TIFF structure (what follows "Exif\0\0"); `.identity` if malformed.
    init(tiff: ArraySlice<UInt8>) {
        self = ExifOrientation.readOrientation(TIFFReader(tiff)) ?? .identity
    }

    /// The image as a viewer shows it.
    ///
    /// Output pixel (x, y) reads stored pixel `start + x * xStep + y * yStep` (in pixels), which
    /// expresses all eight cases as one loop. Each case's start and steps follow from its doc
    /// comment: e.g. for 6 the stored 0th column is the top row, read bottom to top, so output
    /// (0, 0) is the stored bottom-left pixel and stepping right moves up a stored row.
    public func apply(to image: Image) -> Image {
        guard self != .identity else { return image }
        let width = image.width, height = image.height, channels = image.channels
        let last = width * height - 1
        let (start, xStep, yStep): (Int, Int, Int)
        switch self {
        case .identity: (start, xStep, yStep) = (0, 1, width)
        case .mirrorHorizontal: (start, xStep, yStep) = (width - 1, -1, width)
        case .rotate180: (start, xStep, yStep) = (last, -1, -width)
        case .mirrorVertical: (start, xStep, yStep) = (last - (width - 1), 1, -width)
        case .transpose: (start, xStep, yStep) = (0, width, 1)
        case .rotate90Clockwise: (start, xStep, yStep) = (last - (width - 1), -width, 1)
        case .transverse: (start, xStep, yStep) = (last, -width, -1)
        case .rotate270Clockwise: (start, xStep, yStep) = (width - 1, width, -1)
        }
        let outWidth = swapsDimensions ? height : width
        let outHeight = swapsDimensions ? width : height
        var result = [Float](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { destination in
                var target = 0
                for y in 0..<outHeight {
                    var from = start + y * yStep
                    for _ in 0..<outWidth {
                        for channel in 0..<channels { destination[target + channel] = source[from * channels + channel] }
                        target += channels
                        from += xStep
                    }
                }
            }
        }
        return Image(validWidth: outWidth, height: outHeight, channels: channels, pixels: result)
    }

    // MARK: - Reading

    static let orientationTag = 0x0112
    /// TIFF field type 3: a 16-bit unsigned integer, the type TIFF 6.0 gives Orientation.
    static let shortType = 3
    static let exifIdentifier: [UInt8] = Array("Exif".utf8) + [0, 0]

    /// The TIFF bytes of the first APP1 segment that starts with "Exif\0\0", searching the
    /// segments between SOI and SOS (where EXIF 2.32 puts it; the entropy-coded data after SOS
    /// is never scanned).
    static func findExifPayload(in bytes: [UInt8]) -> ArraySlice<UInt8>? {
        guard bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var position = 2
        while position < bytes.count {
            guard bytes[position] == 0xFF else { return nil } // not at a marker: the file is corrupt
            while position < bytes.count, bytes[position] == 0xFF { position += 1 }
            guard position < bytes.count else { return nil }
            let marker = bytes[position]
            position += 1
            switch marker {
            case 0xDA, 0xD9: return nil // SOS or EOI: no EXIF before the image data
            case 0x01, 0xD0...0xD8: continue // TEM, RSTn, SOI: no length field
            default: break
            }
            guard position + 2 <= bytes.count else { return nil }
            let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            // The length counts its own two bytes; what it covers must lie inside the file.
            guard length >= 2, length <= bytes.count - position else { return nil }
            let payload = bytes[(position + 2)..<(position + length)]
            if marker == 0xE1, payload.starts(with: exifIdentifier) {
                return payload.dropFirst(exifIdentifier.count)
            }
            position += length
        }
        return nil
    }

    private static func readOrientation(_ reader: TIFFReader?) -> ExifOrientation? {
        guard let reader, let ifd = reader.uint32(at: 4), let count = reader.uint16(at: ifd) else { return nil }
        for index in 0..<count {
            let entry = ifd + 2 + 12 * index
            guard let tag = reader.uint16(at: entry), let type = reader.uint16(at: entry + 2),
                  let valueCount = reader.uint32(at: entry + 4) else { return nil }
            guard tag == orientationTag else { continue }
            guard type == shortType, valueCount == 1, let value = reader.uint16(at: entry + 8) else { return nil }
            return ExifOrientation(rawValue: value)
        }
        return nil
    }

    /// Bounds-checked reads in the TIFF structure's byte order; offsets count from its header,
    /// as TIFF offsets do. Every read answers nil past the end instead of trapping.
    private struct TIFFReader {
        let bytes: ArraySlice<UInt8>
        let bigEndian: Bool

        /// Nil unless the header is "II*\0" or "MM\0*" (the byte order, then 42 in that order).
        init?(_ bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            guard bytes.count >= 8 else { return nil }
            let first = bytes[bytes.startIndex], second = bytes[bytes.startIndex + 1]
            switch (first, second) {
            case (0x49, 0x49): bigEndian = false
            case (0x4D, 0x4D): bigEndian = true
            default: return nil
            }
            guard uint16(at: 2) == 42 else { return nil }
        }

        func uint16(at offset: Int) -> Int? { unsigned(at: offset, size: 2) }
        func uint32(at offset: Int) -> Int? { unsigned(at: offset, size: 4) }

        private func unsigned(at offset: Int, size: Int) -> Int? {
            guard offset >= 0, offset <= bytes.count - size else { return nil }
            let start = bytes.startIndex + offset
            var value = 0
            for index in 0..<size {
                let byte = Int(bytes[start + (bigEndian ? index : size - 1 - index)])
                value = value << 8 | byte
            }
            return value
        }
    }
}
