import XCTest
@testable import Engine

/// PNG files read as the values they store, for every bit depth and colour type, whatever
/// colour chunks they carry. Every file is written byte by byte (`TestPNG`); the expected
/// values are worked out here from the samples written: grey or colour sample v of depth d
/// reads as v / (2^d - 1), palette entries as entry / 255, and alpha a (in 0...1) is
/// composited over white: value * a + (1 - a).
final class PNGStoredValueTests: XCTestCase {
    private struct Case {
        let label: String
        let png: TestPNG
        /// Expected pixels, 1 or 3 values each, row-major.
        let expected: [Double]
        let channels: Int
    }

    private static let width = 5, height = 3
    private static var pixelCount: Int { width * height }

    /// Samples of depth `bits` that include 0 and the maximum and are otherwise spread out.
    private static func spread(_ count: Int, bits: Int, offset: Int = 0) -> [Int] {
        let top = (1 << bits) - 1
        return (0..<count).map { index in
            switch (index + offset) % 7 {
            case 0: return top
            case 1: return 0
            default: return ((index + offset) * 2_654_435_761 >> 7) & top
            }
        }
    }

    private static func overWhite(_ value: Double, alpha: Double) -> Double { value * alpha + (1 - alpha) }

    private static func grey(bits: Int) -> Case {
        let samples = spread(pixelCount, bits: bits)
        let top = Double((1 << bits) - 1)
        return Case(label: "grey \(bits)-bit", png: TestPNG(width: width, height: height, bitDepth: bits, colorType: .gray, samples: samples),
                    expected: samples.map { Double($0) / top }, channels: 1)
    }

    private static func greyWithTransparentValue(bits: Int) -> Case {
        let samples = spread(pixelCount, bits: bits)
        let transparent = samples[3]
        let top = Double((1 << bits) - 1)
        var png = TestPNG(width: width, height: height, bitDepth: bits, colorType: .gray, samples: samples)
        png.transparency = TestPNG.field(transparent)
        return Case(label: "grey \(bits)-bit with tRNS", png: png,
                    expected: samples.map { $0 == transparent ? 1 : Double($0) / top }, channels: 1)
    }

    private static func greyAlpha(bits: Int) -> Case {
        let values = spread(pixelCount, bits: bits), alphas = spread(pixelCount, bits: bits, offset: 3)
        let top = Double((1 << bits) - 1)
        let samples = zip(values, alphas).flatMap { [$0, $1] }
        return Case(label: "grey+alpha \(bits)-bit",
                    png: TestPNG(width: width, height: height, bitDepth: bits, colorType: .grayAlpha, samples: samples),
                    expected: zip(values, alphas).map { overWhite(Double($0) / top, alpha: Double($1) / top) }, channels: 1)
    }

    private static func rgb(bits: Int, alpha: Bool) -> Case {
        let top = Double((1 << bits) - 1)
        let red = spread(pixelCount, bits: bits), green = spread(pixelCount, bits: bits, offset: 2)
        let blue = spread(pixelCount, bits: bits, offset: 4), alphas = spread(pixelCount, bits: bits, offset: 5)
        var samples: [Int] = [], expected: [Double] = []
        for pixel in 0..<pixelCount {
            let colour = [red[pixel], green[pixel], blue[pixel]]
            samples += colour + (alpha ? [alphas[pixel]] : [])
            let a = alpha ? Double(alphas[pixel]) / top : 1
            expected += colour.map { overWhite(Double($0) / top, alpha: a) }
        }
        return Case(label: (alpha ? "RGBA" : "RGB") + " \(bits)-bit",
                    png: TestPNG(width: width, height: height, bitDepth: bits, colorType: alpha ? .rgba : .rgb, samples: samples),
                    expected: expected, channels: 3)
    }

    private static func rgbWithTransparentColour() -> Case {
        let base = rgb(bits: 8, alpha: false)
        let transparent = Array(base.png.samples[6..<9]) // pixel 2's colour
        var png = base.png
        png.transparency = transparent.flatMap(TestPNG.field)
        var expected = base.expected
        for pixel in 0..<pixelCount where Array(png.samples[(pixel * 3)..<(pixel * 3 + 3)]) == transparent {
            expected.replaceSubrange((pixel * 3)..<(pixel * 3 + 3), with: [1, 1, 1])
        }
        return Case(label: "RGB 8-bit with tRNS", png: png, expected: expected, channels: 3)
    }

    private static func palette(bits: Int, transparency: Bool) -> Case {
        let entries = min(1 << bits, 6)
        let colours: [[UInt8]] = (0..<entries).map { entry -> [UInt8] in
            let red = (entry * 53 + 7) % 256, green = (entry * 101 + 200) % 256, blue = (entry * 29) % 256
            return [UInt8(red), UInt8(green), UInt8(blue)]
        }
        // tRNS shorter than the palette: entries past it are opaque.
        let allAlphas: [UInt8] = [0, 128, 255, 64, 200]
        let alphas: [UInt8] = transparency ? Array(allAlphas.prefix(max(1, entries - 1))) : []
        let indices = (0..<pixelCount).map { ($0 * 5 + 1) % entries }
        var png = TestPNG(width: width, height: height, bitDepth: bits, colorType: .palette, samples: indices)
        png.palette = colours
        if transparency { png.transparency = alphas }
        let expected = indices.flatMap { index -> [Double] in
            let a = index < alphas.count ? Double(alphas[index]) / 255 : 1
            return colours[index].map { overWhite(Double($0) / 255, alpha: a) }
        }
        return Case(label: "palette \(bits)-bit" + (transparency ? " with tRNS" : ""), png: png, expected: expected, channels: 3)
    }

    private static var cases: [Case] {
        [1, 2, 4, 8, 16].map(grey) + [2, 8, 16].map(greyWithTransparentValue) + [8, 16].map(greyAlpha)
            + [1, 2, 4, 8].map { palette(bits: $0, transparency: true) } + [palette(bits: 8, transparency: false)]
            + [8, 16].map { rgb(bits: $0, alpha: false) } + [rgbWithTransparentColour()] + [8, 16].map { rgb(bits: $0, alpha: true) }
    }

    func testEveryDepthAndColourTypeReadsStoredValuesWhateverTheColourChunks() throws {
        var checked = 0
        for base in PNGStoredValueTests.cases {
            for chunk in TestPNG.ColorChunk.allCases {
                for interlaced in [false, true] {
                    var png = base.png
                    png.extraChunks = chunk.chunks(colour: base.png.colorType != .gray && base.png.colorType != .grayAlpha)
                    png.interlaced = interlaced
                    let label = "\(base.label), \(chunk)\(interlaced ? ", interlaced" : "")"
                    let image = try ImageFile.decode(png.bytes(), source: "test.png")
                    XCTAssertEqual([image.width, image.height, image.channels], [PNGStoredValueTests.width, PNGStoredValueTests.height, base.channels], label)
                    XCTAssertEqual(image.pixels.count, base.expected.count, label)
                    for (index, (actual, expected)) in zip(image.pixels, base.expected).enumerated() where abs(Double(actual) - expected) > 1e-6 {
                        XCTFail("\(label): value \(index) is \(actual), stored value gives \(expected)")
                        break
                    }
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 20 * 5 * 2)
    }

    /// The issue's example: 16-bit grey stored as 33292 (0.508) with a gAMA chunk read as 0.225
    /// when converted to linear light; the stored value is what is wanted.
    func testSixteenBitGreyWithGammaIsNotConvertedToLinearLight() throws {
        for chunk in [TestPNG.ColorChunk.gamma22, .sRGB] {
            var png = TestPNG(width: 1, height: 1, bitDepth: 16, colorType: .gray, samples: [33_292])
            png.extraChunks = chunk.chunks(colour: false)
            let value = try PNGCodec.decode(png.bytes()).pixels[0]
            XCTAssertEqual(value, Float(33_292.0 / 65_535.0), accuracy: 1e-7, "\(chunk)")
        }
    }

    /// An 8-bit file and its 16-bit copy (each sample v stored as v * 257) read the same.
    func testEightBitAndSixteenBitCopiesReadTheSame() throws {
        let eight = PNGStoredValueTests.rgb(bits: 8, alpha: false).png
        var sixteen = eight
        sixteen.bitDepth = 16
        sixteen.samples = eight.samples.map { $0 * 257 }
        sixteen.extraChunks = TestPNG.ColorChunk.sRGB.chunks(colour: true)
        let a = try PNGCodec.decode(eight.bytes()), b = try PNGCodec.decode(sixteen.bytes())
        for (x, y) in zip(a.pixels, b.pixels) { XCTAssertEqual(x, y, accuracy: 1e-7) }
    }

    func testTruncatedAndCorruptPNGsNameTheFile() {
        let good = PNGStoredValueTests.rgb(bits: 8, alpha: true).png.bytes()
        var badCRC = good
        badCRC[29] ^= 0xFF // the IHDR chunk's CRC
        for (label, bytes) in [("cut in IDAT", Array(good.prefix(good.count - 30))), ("IHDR CRC", badCRC),
                               ("signature only", PNGCodec.signature)] {
            XCTAssertThrowsError(try ImageFile.decode(bytes, source: "broken.png"), label) { error in
                guard case EngineError.format(let message) = error else { return XCTFail("\(label): \(error)") }
                XCTAssertTrue(message.hasPrefix("broken.png: "), "\(label): \(message)")
            }
        }
        XCTAssertNoThrow(try ImageFile.decode(good, source: "good.png"), "the decoder still works after failures")
    }
}
