import XCTest
@testable import Engine

/// JPEG decoding honours the EXIF Orientation tag, for all eight values in both TIFF byte
/// orders, and ignores a malformed tag rather than failing.
final class JPEGOrientationTests: XCTestCase {
    /// The stored picture: 32x16, four 16x8 quadrants (aligned to the 8x8 DCT blocks, so JPEG
    /// keeps them flat): red top-left, green top-right, blue bottom-left, white bottom-right.
    static let red: [Float] = [1, 0, 0], green: [Float] = [0, 1, 0], blue: [Float] = [0, 0, 1], white: [Float] = [1, 1, 1]

    static let storedJPEG: [UInt8] = {
        var pixels: [Float] = []
        for y in 0..<16 {
            for x in 0..<32 {
                switch (x < 16, y < 8) {
                case (true, true): pixels += red
                case (false, true): pixels += green
                case (true, false): pixels += blue
                case (false, false): pixels += white
                }
            }
        }
        guard let image = try? Image(width: 32, height: 16, channels: 3, pixels: pixels) else { return [] }
        return (try? TestJPEG.encode(image, quality: 100)) ?? []
    }()

    /// The displayed quadrant colours (top-left, top-right, bottom-left, bottom-right) per
    /// orientation, worked out from EXIF 2.32's description of where the stored 0th row
    /// (red..green) and 0th column (red..blue) go, not from the decoder's code.
    static let expectedCorners: [Int: [[Float]]] = [
        1: [red, green, blue, white],   // row 0 top, column 0 left
        2: [green, red, white, blue],   // row 0 top, column 0 right
        3: [white, blue, green, red],   // row 0 bottom, column 0 right
        4: [blue, white, red, green],   // row 0 bottom, column 0 left
        5: [red, blue, green, white],   // row 0 left, column 0 top
        6: [blue, red, white, green],   // row 0 right, column 0 top
        7: [white, green, blue, red],   // row 0 right, column 0 bottom
        8: [green, white, red, blue],   // row 0 left, column 0 bottom
    ]

    /// Mean colour of the 4x4 patch at the centre of each displayed quadrant, in the order
    /// top-left, top-right, bottom-left, bottom-right.
    private func quadrantColours(_ image: Image) -> [[Float]] {
        let halfWidth = image.width / 2, halfHeight = image.height / 2
        return [(0, 0), (1, 0), (0, 1), (1, 1)].map { (column, row) -> [Float] in
            let centreX = column * halfWidth + halfWidth / 2, centreY = row * halfHeight + halfHeight / 2
            var sum: [Float] = [0, 0, 0]
            for y in (centreY - 2)..<(centreY + 2) {
                for x in (centreX - 2)..<(centreX + 2) {
                    for channel in 0..<3 { sum[channel] += image.value(x: x, y: y, channel: channel) }
                }
            }
            return sum.map { $0 / 16 }
        }
    }

    private func assertColours(_ actual: [[Float]], _ expected: [[Float]], _ label: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        let names = ["top-left", "top-right", "bottom-left", "bottom-right"]
        for (index, (got, want)) in zip(actual, expected).enumerated() {
            let distance = zip(got, want).map { abs($0 - $1) }.max() ?? 1
            XCTAssertLessThan(distance, 0.05, "\(label) \(names[index]): got \(got), expected \(want)", file: file, line: line)
        }
    }

    func testEncoderMakesTheStoredPictureUnturned() throws {
        XCTAssertFalse(Self.storedJPEG.isEmpty)
        XCTAssertEqual(ExifOrientation(jpeg: Self.storedJPEG), .identity)
        let image = try JPEGCodec.decode(Self.storedJPEG)
        XCTAssertEqual([image.width, image.height, image.channels], [32, 16, 3])
        assertColours(quadrantColours(image), [Self.red, Self.green, Self.blue, Self.white], "no EXIF")
    }

    func testAllEightOrientationsInBothByteOrders() throws {
        for bigEndian in [false, true] {
            for orientation in 1...8 {
                let label = "orientation \(orientation) \(bigEndian ? "MM" : "II")"
                let bytes = TestExif.splice(TestExif.segment(orientation: orientation, bigEndian: bigEndian), into: Self.storedJPEG)
                XCTAssertEqual(ExifOrientation(jpeg: bytes).rawValue, orientation, label)
                let image = try ImageFile.decode(bytes, source: "photo.jpg")
                let expectedSize = orientation >= 5 ? [16, 32] : [32, 16]
                XCTAssertEqual([image.width, image.height], expectedSize, label)
                XCTAssertEqual(image.pixels.count, 32 * 16 * 3, label)
                assertColours(quadrantColours(image), Self.expectedCorners[orientation] ?? [], label)
            }
        }
    }

    /// Every pixel lands where the table says, checked on a 3x2 picture numbered 0...5 (each
    /// pixel's channels hold n, n + 10, n + 20, so channel order is checked too). Stored:
    ///     0 1 2
    ///     3 4 5
    func testApplyMovesEveryPixelExactly() throws {
        func channels(_ number: Int) -> [Float] { [Float(number), Float(number + 10), Float(number + 20)] }
        let stored = try Image(width: 3, height: 2, channels: 3, pixels: (0..<6).flatMap(channels))
        let expected: [ExifOrientation: (width: Int, order: [Int])] = [
            .identity: (3, [0, 1, 2, 3, 4, 5]),
            .mirrorHorizontal: (3, [2, 1, 0, 5, 4, 3]),
            .rotate180: (3, [5, 4, 3, 2, 1, 0]),
            .mirrorVertical: (3, [3, 4, 5, 0, 1, 2]),
            .transpose: (2, [0, 3, 1, 4, 2, 5]),
            .rotate90Clockwise: (2, [3, 0, 4, 1, 5, 2]),
            .transverse: (2, [5, 2, 4, 1, 3, 0]),
            .rotate270Clockwise: (2, [2, 5, 1, 4, 0, 3]),
        ]
        for orientation in ExifOrientation.allCases {
            guard let entry = expected[orientation] else { return XCTFail("no expectation for \(orientation)") }
            let turned = orientation.apply(to: stored)
            XCTAssertEqual([turned.width, turned.height, turned.channels], [entry.width, 6 / entry.width, 3], "\(orientation)")
            XCTAssertEqual(turned.pixels, entry.order.flatMap(channels), "\(orientation)")
        }
        // Gray images too.
        let gray = try Image(width: 3, height: 2, channels: 1, pixels: [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(ExifOrientation.rotate90Clockwise.apply(to: gray).pixels, [3, 0, 4, 1, 5, 2])
    }

    func testTagIsFoundBehindOtherSegmentsAndFillBytes() throws {
        // APP0 (JFIF, from the encoder) comes first, then an XMP APP1 (also marker E1, not EXIF), fill bytes, then EXIF.
        let xmpPayload = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + Array("<x:xmpmeta/>".utf8)
        let xmp = [0xFF, 0xE1, UInt8((xmpPayload.count + 2) >> 8), UInt8((xmpPayload.count + 2) & 0xFF)] + xmpPayload
        let jfifLength = Int(Self.storedJPEG[4]) << 8 | Int(Self.storedJPEG[5])
        let afterJFIF = 4 + jfifLength
        XCTAssertEqual(Array(Self.storedJPEG[2..<4]), [0xFF, 0xE0])
        let bytes = Array(Self.storedJPEG[..<afterJFIF]) + xmp + [0xFF, 0xFF] + TestExif.segment(orientation: 8, bigEndian: true)
            + Array(Self.storedJPEG[afterJFIF...])
        XCTAssertEqual(ExifOrientation(jpeg: bytes), .rotate270Clockwise)
        let image = try JPEGCodec.decode(bytes)
        XCTAssertEqual([image.width, image.height], [16, 32])
        assertColours(quadrantColours(image), Self.expectedCorners[8] ?? [], "behind APP0 and XMP")
    }

    func testMalformedExifReadsAsUnturned() throws {
        let good = TestExif.tiff(orientation: 6, bigEndian: false)
        var wrongOrder = good; wrongOrder[1] = 0x4D                           // "IM"
        var wrongMagic = good; wrongMagic[2] = 43                            // not 42
        var farIFD = good; farIFD[4] = 0xF0; farIFD[7] = 0x7F                // IFD0 offset past the end
        // 65535 entries announced, 2 present, and the second is not Orientation: the scan runs off the end.
        var manyEntries = good; manyEntries[8] = 0xFF; manyEntries[9] = 0xFF; manyEntries[22] = 0x13
        var zero = good; zero[30] = 0                                        // Orientation 0 (value of entry 2)
        var nine = good; nine[30] = 9                                        // Orientation 9
        let cases: [(String, [UInt8])] = [
            ("empty TIFF", []), ("header only", Array(good.prefix(8))), ("cut in the IFD", Array(good.prefix(25))),
            ("cut in the value", Array(good.prefix(31))), ("byte order IM", wrongOrder), ("magic 43", wrongMagic),
            ("IFD past the end", farIFD), ("entry count too big", manyEntries), ("value 0", zero), ("value 9", nine),
            ("LONG instead of SHORT", TestExif.tiff(orientation: 6, bigEndian: false, orientationType: 4)),
            ("garbage", (0..<40).map { UInt8(($0 * 97 + 13) % 256) }),
        ]
        XCTAssertEqual(good[30], 6, "the fixture's Orientation value sits at TIFF offset 30")
        for (label, tiff) in cases {
            let bytes = TestExif.splice(TestExif.segment(tiff: tiff), into: Self.storedJPEG)
            XCTAssertEqual(ExifOrientation(jpeg: bytes), .identity, label)
            let image = try JPEGCodec.decode(bytes, source: "bad-exif.jpg")
            XCTAssertEqual([image.width, image.height], [32, 16], label)
            assertColours(quadrantColours(image), [Self.red, Self.green, Self.blue, Self.white], label)
        }
    }

    func testTruncatedFilesNeverReadPastTheEnd() {
        let segment = TestExif.segment(orientation: 6, bigEndian: true)
        let bytes = TestExif.splice(segment, into: Self.storedJPEG)
        // Every prefix that cuts the segment has no readable tag; once it is whole, the tag reads.
        for length in 0...(2 + segment.count) {
            let expected: ExifOrientation = length == 2 + segment.count ? .rotate90Clockwise : .identity
            XCTAssertEqual(ExifOrientation(jpeg: Array(bytes.prefix(length))), expected, "prefix of \(length) bytes")
        }
        // A segment length running past the end of the file, or shorter than its own two bytes.
        var overlong = bytes; overlong[4] = 0xFF
        var tooShort = bytes; tooShort[4] = 0; tooShort[5] = 1
        XCTAssertEqual(ExifOrientation(jpeg: overlong), .identity)
        XCTAssertEqual(ExifOrientation(jpeg: tooShort), .identity)
        // Not a marker where one must be: the walk stops.
        XCTAssertEqual(ExifOrientation(jpeg: [0xFF, 0xD8, 0x00] + Array(segment)), .identity)
    }

    func testTagAfterTheScanIsIgnored() {
        // EXIF belongs before SOS; bytes after it are entropy-coded data and are never parsed.
        XCTAssertEqual(ExifOrientation(jpeg: Self.storedJPEG + TestExif.segment(orientation: 3, bigEndian: false)), .identity)
    }
}
