import Foundation
@testable import Engine

/// Writes canvases as PNG for looking at test drawings (/tmp/drawing/*.png): 8-bit RGB, zlib
/// "stored" (uncompressed) deflate blocks, so it needs no compression library.
enum DrawingTestPNG {
    static let directory = "/tmp/drawing"

    @discardableResult
    static func write(_ canvas: Canvas, name: String) -> String {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/\(name).png"
        FileManager.default.createFile(atPath: path, contents: Data(encode(canvas)))
        return path
    }

    static func encode(_ canvas: Canvas) -> [UInt8] {
        var raw: [UInt8] = []
        // Device pixels: what the notebook shows.
        let (width, height) = (canvas.pixelWidth, canvas.pixelHeight)
        raw.reserveCapacity(height * (width * 3 + 1))
        for row in 0..<height {
            raw.append(0)   // filter: none
            for value in canvas.pixels[(row * width * 3)..<((row + 1) * width * 3)] {
                raw.append(UInt8((min(max(value, 0), 1) * 255).rounded()))
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]   // 8-bit, truecolour, deflate, no filter method, no interlace
        png += chunk("IHDR", header) + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
        return png
    }

    /// A zlib stream of "stored" (uncompressed) deflate blocks holding `raw`.
    static func zlibStored(_ raw: [UInt8]) -> [UInt8] {
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65_535, raw.count - offset)
            let final: UInt8 = offset + length >= raw.count ? 1 : 0
            zlib += [final, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            zlib += raw[offset..<(offset + length)]
            offset += length
        } while offset < raw.count
        return zlib + bigEndian(adler32(raw))
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        return b << 16 | a
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
