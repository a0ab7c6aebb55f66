import Foundation
@testable import Engine

/// A PNG file written byte by byte for the decoder's tests: any colour type and bit depth,
/// optional Adam7 interlacing, palette, tRNS and extra chunks (gAMA, sRGB, iCCP), the image
/// data in zlib "stored" blocks. The expected pixel values of a test come from the samples
/// given here, never from a decoder.
struct TestPNG {
    enum ColorType: UInt8 { case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6 }

    var width: Int
    var height: Int
    var bitDepth: Int
    var colorType: ColorType
    /// Stored samples, row-major, `samplesPerPixel` per pixel (palette indices for `.palette`).
    var samples: [Int]
    /// Palette entries as (red, green, blue).
    var palette: [[UInt8]] = []
    /// The tRNS chunk's data as stored (alpha per palette entry, or the transparent grey/RGB as 16-bit fields).
    var transparency: [UInt8]?
    /// Chunks placed between IHDR (and PLTE/tRNS) and IDAT.
    var extraChunks: [(type: String, data: [UInt8])] = []
    var interlaced = false

    var samplesPerPixel: Int {
        switch colorType {
        case .gray, .palette: return 1
        case .grayAlpha: return 2
        case .rgb: return 3
        case .rgba: return 4
        }
    }

    /// The Adam7 passes: first column and row, then column and row steps.
    static let adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]

    func bytes() -> [UInt8] {
        var raw: [UInt8] = []
        let passes = interlaced ? TestPNG.adam7 : [(0, 0, 1, 1)]
        for (x0, y0, dx, dy) in passes {
            let columns = Array(stride(from: x0, to: width, by: dx))
            guard !columns.isEmpty else { continue }
            for y in stride(from: y0, to: height, by: dy) {
                raw.append(0) // filter: none
                raw += packedRow(y: y, columns: columns)
            }
        }
        var ihdr = DrawingTestPNG.bigEndian(UInt32(width)) + DrawingTestPNG.bigEndian(UInt32(height))
        ihdr += [UInt8(bitDepth), colorType.rawValue, 0, 0, interlaced ? 1 : 0]
        var file = PNGCodec.signature + DrawingTestPNG.chunk("IHDR", ihdr)
        for (type, data) in extraChunks { file += DrawingTestPNG.chunk(type, data) }
        if !palette.isEmpty { file += DrawingTestPNG.chunk("PLTE", palette.flatMap { $0 }) }
        if let transparency { file += DrawingTestPNG.chunk("tRNS", transparency) }
        return file + DrawingTestPNG.chunk("IDAT", DrawingTestPNG.zlibStored(raw)) + DrawingTestPNG.chunk("IEND", [])
    }

    /// One scanline's samples at `columns`, packed most significant bits first below 8 bits
    /// per sample, big-endian at 16.
    private func packedRow(y: Int, columns: [Int]) -> [UInt8] {
        let values = columns.flatMap { x in (0..<samplesPerPixel).map { samples[(y * width + x) * samplesPerPixel + $0] } }
        switch bitDepth {
        case 16: return values.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case 8: return values.map { UInt8($0) }
        default:
            var row = [UInt8](repeating: 0, count: (values.count * bitDepth + 7) / 8)
            for (index, value) in values.enumerated() {
                let bit = index * bitDepth
                row[bit / 8] |= UInt8(value << (8 - bitDepth - bit % 8))
            }
            return row
        }
    }

    /// 16-bit big-endian bytes of a value (tRNS fields).
    static func field(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    /// Chunks that ask for colour handling; a decoder of stored values must ignore them all.
    enum ColorChunk: CaseIterable {
        case none, linearGamma, gamma22, sRGB, iccProfile

        func chunks(colour: Bool) -> [(type: String, data: [UInt8])] {
            switch self {
            case .none: return []
            case .linearGamma: return [("gAMA", DrawingTestPNG.bigEndian(100_000))] // file gamma 1.0: linear samples
            case .gamma22: return [("gAMA", DrawingTestPNG.bigEndian(45_455))]
            case .sRGB: return [("sRGB", [0]), ("gAMA", DrawingTestPNG.bigEndian(45_455))]
            case .iccProfile:
                return [("iCCP", Array("test profile".utf8) + [0, 0] + DrawingTestPNG.zlibStored(TestPNG.iccProfile(colour: colour)))]
            }
        }
    }

    /// A header-only ICC profile (132 bytes, no tags) of the colour space the PNG needs.
    static func iccProfile(colour: Bool) -> [UInt8] {
        var profile = [UInt8](repeating: 0, count: 132)
        func put(_ bytes: [UInt8], at offset: Int) { profile.replaceSubrange(offset..<(offset + bytes.count), with: bytes) }
        put(DrawingTestPNG.bigEndian(132), at: 0)
        put([2, 0x10, 0, 0], at: 8)                       // version 2.1
        put(Array("mntr".utf8), at: 12)                   // display device
        put(Array((colour ? "RGB " : "GRAY").utf8), at: 16)
        put(Array("XYZ ".utf8), at: 20)
        put(Array("acsp".utf8), at: 36)
        put([0, 0, 0xF6, 0xD6, 0, 1, 0, 0, 0, 0, 0xD3, 0x2D], at: 68) // D50 illuminant
        return profile
    }
}

