import XCTest
@testable import Engine

final class ImageTests: XCTestCase {
    private func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-6,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (index, (a, e)) in zip(actual, expected).enumerated() where abs(a - e) > tolerance {
            XCTFail("value \(index): \(a) != \(e)", file: file, line: line)
            return
        }
    }

    func testJPEGDecodeMatchesLibjpegReference() throws {
        // Pillow (also libjpeg) decodes pixel 0 and 3 as (254, 0, 0) and 4 and 7 as (0, 65, 255).
        let rgb = try ImageFile.decode(ImageFixtures.rgbJPEG, source: "rgb.jpg")
        XCTAssertEqual([rgb.width, rgb.height, rgb.channels], [8, 4, 3])
        for (pixel, expected) in [(0, [254, 0, 0]), (3, [254, 0, 0]), (4, [0, 65, 255]), (7, [0, 65, 255])] {
            assertClose(Array(rgb.pixels[(pixel * 3)..<(pixel * 3 + 3)]), expected.map { Float($0) / 255 })
        }
        let gray = try ImageFile.decode(ImageFixtures.grayJPEG, source: "gray.jpg")
        XCTAssertEqual(gray.channels, 1)
        assertClose([gray.pixels[0], gray.pixels[3], gray.pixels[4], gray.pixels[7]], [0, 64, 128, 255].map { Float($0) / 255 })
    }

    func testCorruptJPEGsThrowInsteadOfCrashing() {
        let good = ImageFixtures.rgbJPEG
        var badPrecision = good
        // SOF0 (FF C0) is followed by length (2 bytes) and the sample precision: make it 13 bits.
        if let sof = (0..<(good.count - 1)).first(where: { good[$0] == 0xFF && good[$0 + 1] == 0xC0 }) { badPrecision[sof + 4] = 13 }
        var badHuffman = good
        if let dht = (0..<(good.count - 1)).first(where: { good[$0] == 0xFF && good[$0 + 1] == 0xC4 }) {
            for index in (dht + 5)..<(dht + 21) { badHuffman[index] = 0xFF } // impossible code-length counts
        }
        let cases: [(String, [UInt8])] = [
            ("truncated header", Array(good.prefix(40))), ("only SOI", [0xFF, 0xD8, 0xFF]),
            ("13-bit precision", badPrecision), ("bogus Huffman table", badHuffman),
        ]
        for (label, bytes) in cases {
            XCTAssertThrowsError(try ImageFile.decode(bytes, source: "bad.jpg"), label) { error in
                XCTAssertTrue("\(error)".contains("bad.jpg"), "\(label): \(error)")
            }
        }
        // After failures the decoder still works.
        XCTAssertNoThrow(try ImageFile.decode(good, source: "good.jpg"))
    }

    func testPNGVariants() throws {
        // 16-bit gray [[0, 65535], [32768, 1000]] keeps its 16-bit precision.
        let gray16 = try ImageFile.decode(ImageFixtures.gray16PNG, source: "16.png")
        XCTAssertEqual(gray16.channels, 1)
        assertClose(gray16.pixels, [0, 65535, 32768, 1000].map { Float($0) / 65535 })
        // RGBA composited over white: opaque red, transparent -> white, half green, opaque (10, 20, 30).
        let rgba = try ImageFile.decode(ImageFixtures.rgbaPNG, source: "rgba.png")
        XCTAssertEqual(rgba.channels, 3)
        let half: Float = 128.0 / 255
        assertClose(rgba.pixels, [1, 0, 0, 1, 1, 1, 1 - half, 1, 1 - half, 10 / 255, 20 / 255, 30 / 255], tolerance: 1e-5)
        let palette = try ImageFile.decode(ImageFixtures.palettePNG, source: "palette.png")
        assertClose(Array(palette.pixels[0..<6]), [1, 1, 0, 0, 128 / 255, 1])
    }

    func testPNGRoundTripIsExactFor8BitValues() throws {
        for channels in [1, 3] {
            let pixels = (0..<(5 * 3 * channels)).map { Float(($0 * 37) % 256) / 255 }
            let image = try Image(width: 5, height: 3, channels: channels, pixels: pixels)
            let bytes = try PNGCodec.encode(image)
            XCTAssertEqual(Array(bytes.prefix(8)), PNGCodec.signature)
            XCTAssertEqual(try PNGCodec.decode(bytes), image)
        }
        // Out-of-range values are clamped, not wrapped.
        let wild = try Image(width: 2, height: 1, channels: 1, pixels: [-3, 7])
        XCTAssertEqual(try PNGCodec.decode(try PNGCodec.encode(wild)).pixels, [0, 1])
    }

    func testNonImagesAndOversizedImagesAreRefused() {
        XCTAssertThrowsError(try ImageFile.decode(Array("%PDF-1.7 ...".utf8), source: "paper.pdf")) { error in
            XCTAssertTrue("\(error)".contains("not an image") && "\(error)".contains("paper.pdf"), "\(error)")
        }
        XCTAssertThrowsError(try ImageFile.decode(PNGCodec.signature + [0, 0, 0, 13], source: "cut.png")) { error in
            XCTAssertTrue("\(error)".contains("cut.png"), "\(error)")
        }
        XCTAssertThrowsError(try Image(width: 10_000, height: 6_000, channels: 3, value: 0)) { error in
            XCTAssertTrue("\(error)".contains("megapixel"), "\(error)")
        }
        // A PNG header claiming 20000 x 20000 pixels is refused before any allocation.
        var header = PNGCodec.signature + [0, 0, 0, 13] + Array("IHDR".utf8)
        header += [0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20, 8, 2, 0, 0, 0]
        let crc = ImageTests.crc32(Array(header[12...]))
        header += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        XCTAssertThrowsError(try ImageFile.decode(header, source: "huge.png")) { error in
            XCTAssertTrue("\(error)".contains("megapixel"), "\(error)")
        }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    func testAreaShrinkAveragesAndBilinearGrowInterpolates() throws {
        // 4x1 -> 2x1 by area: means of pairs. 3x1 -> 2x1: weights 2/3, 1/3 | 1/3, 2/3.
        let row = try Image(width: 4, height: 1, channels: 1, pixels: [0, 1, 2, 3])
        assertClose(try row.resized(width: 2, height: 1).pixels, [0.5, 2.5])
        let three = try Image(width: 3, height: 1, channels: 1, pixels: [0, 3, 6])
        assertClose(try three.resized(width: 2, height: 1).pixels, [1, 5], tolerance: 1e-5)
        // 2x1 -> 4x1 bilinear, half-pixel centres (PyTorch align_corners=False): [0, .25, .75, 1] * 4.
        let two = try Image(width: 2, height: 1, channels: 1, pixels: [0, 4])
        assertClose(try two.resized(width: 4, height: 1).pixels, [0, 1, 3, 4])
        // Shrinking keeps the mean of a 2-D image exactly when the factor divides.
        let big = try Image(width: 6, height: 4, channels: 3, pixels: (0..<72).map { Float($0) })
        let small = try big.resized(width: 3, height: 2)
        XCTAssertEqual(small.pixels.reduce(0, +) / 18, big.pixels.reduce(0, +) / 72, accuracy: 1e-4)
        XCTAssertEqual(try big.resized(shorterSide: 2).width, 3)
    }

    func testCropPadAndColor() throws {
        let image = try Image(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try image.cropped(x: 1, y: 0, width: 2, height: 2).pixels, [2, 3, 5, 6])
        XCTAssertThrowsError(try image.cropped(x: 2, y: 0, width: 2, height: 2))
        XCTAssertEqual(try image.padded(top: 1, left: 0, bottom: 0, right: 1, value: 9).pixels,
                       [9, 9, 9, 9, 1, 2, 3, 9, 4, 5, 6, 9])
        XCTAssertEqual(try image.centerCropped(width: 1, height: 2).pixels, [2, 5])
        let rgb = image.rgb()
        XCTAssertEqual(Array(rgb.pixels[0..<6]), [1, 1, 1, 2, 2, 2])
        let color = try Image(width: 1, height: 1, channels: 3, pixels: [1, 0.5, 0])
        XCTAssertEqual(color.grayscale().pixels[0], 0.299 + 0.587 * 0.5, accuracy: 1e-6)
    }

    func testSamplePhotosLoad() throws {
        let samples = AssetDirectory.sampleImages()
        guard !samples.isEmpty else { throw XCTSkip("assets not fetched: run scripts/fetch_assets.py") }
        for (name, path) in samples {
            let image = try ImageFile.load(path: path)
            XCTAssertGreaterThan(image.width * image.height, 10_000, name)
        }
        let chelsea = try ImageFile.load(path: try AssetDirectory.file("images/chelsea.png"))
        XCTAssertEqual([chelsea.width, chelsea.height, chelsea.channels], [451, 300, 3])
    }
}
