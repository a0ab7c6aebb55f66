import XCTest
@testable import Engine

final class DrawingCanvasTests: XCTestCase {
    func testFillRectClipsToCanvas() {
        var canvas = Canvas(width: 4, height: 3, background: .black)
        canvas.fillRect(x: 2, y: -5, width: 10, height: 7, color: .white)   // covers columns 2-3, rows 0-1
        XCTAssertEqual(canvas.color(x: 1, y: 0), .black)
        XCTAssertEqual(canvas.color(x: 2, y: 0), .white)
        XCTAssertEqual(canvas.color(x: 3, y: 1), .white)
        XCTAssertEqual(canvas.color(x: 3, y: 2), .black)
        XCTAssertNil(canvas.color(x: 4, y: 0))
    }

    func testLineHitsEndpointsAndDiagonal() {
        var canvas = Canvas(width: 5, height: 5, background: .white)
        canvas.drawLine(fromX: 0, y: 0, toX: 4, y: 4, color: .black)
        let inked = (0..<5).flatMap { y in (0..<5).map { x in (x, y) } }.filter { canvas.color(x: $0.0, y: $0.1) == .black }
        XCTAssertEqual(inked.map { $0.0 }, [0, 1, 2, 3, 4])
        XCTAssertTrue(inked.allSatisfy { $0.0 == $0.1 })
    }

    func testStrokeRectDrawsOnlyTheFrame() {
        var canvas = Canvas(width: 5, height: 5, background: .white)
        canvas.strokeRect(x: 0, y: 0, width: 5, height: 5, color: .black)
        XCTAssertEqual(canvas.color(x: 0, y: 2), .black)
        XCTAssertEqual(canvas.color(x: 4, y: 4), .black)
        XCTAssertEqual(canvas.color(x: 2, y: 2), .white)
    }

    func testNearestScalingRepeatsPixels() {
        var canvas = Canvas(width: 4, height: 2, background: .white)
        canvas.drawPicture(pixels: [0, 1], width: 2, height: 1, channels: 1, x: 0, y: 0, targetWidth: 4, targetHeight: 2)
        XCTAssertEqual((0..<4).map { canvas.color(x: $0, y: 1)?.red }, [0, 0, 1, 1])
    }

    func testBilinearScalingInterpolatesBetweenCentres() {
        // 2 -> 4 pixels with aligned centres: sample positions -0.25, 0.25, 0.75, 1.25 -> clamp, 0.25, 0.75, clamp.
        var canvas = Canvas(width: 4, height: 1, background: .white)
        canvas.drawPicture(pixels: [0, 1], width: 2, height: 1, channels: 1, x: 0, y: 0, targetWidth: 4,
                           targetHeight: 1, interpolation: .bilinear)
        let reds = (0..<4).compactMap { canvas.color(x: $0, y: 0)?.red }
        XCTAssertEqual(reds[0], 0, accuracy: 1e-6)
        XCTAssertEqual(reds[1], 0.25, accuracy: 1e-6)
        XCTAssertEqual(reds[2], 0.75, accuracy: 1e-6)
        XCTAssertEqual(reds[3], 1, accuracy: 1e-6)
    }

    func testAlphaBlendMixesColours() {
        var canvas = Canvas(width: 1, height: 1, background: .black)
        canvas.blendPixel(x: 0, y: 0, color: RGBColor(red: 1, green: 0.5, blue: 0), alpha: 0.25)
        XCTAssertEqual(canvas.color(x: 0, y: 0), RGBColor(red: 0.25, green: 0.125, blue: 0))
        var base = Canvas(width: 2, height: 1, background: .black)
        base.overlay(Canvas(width: 2, height: 1, background: .white), alpha: [0, 0.5])
        XCTAssertEqual(base.color(x: 0, y: 0), .black)
        XCTAssertEqual(base.color(x: 1, y: 0), RGBColor(gray: 0.5))
    }

    func testFontGlyphsHaveTheirShapes() {
        // 'A': top row .###., middle row #####; 'I' column 2 is inked on all rows.
        XCTAssertEqual((0..<5).map { BitmapFont.isInk("A", column: $0, row: 0) }, [false, true, true, true, false])
        XCTAssertEqual((0..<5).map { BitmapFont.isInk("A", column: $0, row: 3) }, [true, true, true, true, true])
        XCTAssertTrue((0..<7).allSatisfy { BitmapFont.isInk("I", column: 2, row: $0) })
        XCTAssertFalse((0..<7).contains { row in (0..<5).contains { BitmapFont.isInk(" ", column: $0, row: row) } })
        // Every printable glyph other than space has ink, and all are different.
        let printable = (33...126).map { Character(UnicodeScalar(UInt8($0))) }
        let shapes = printable.map { BitmapFont.glyph(for: $0) }
        XCTAssertFalse(shapes.contains(0))
        XCTAssertEqual(Set(shapes).count, printable.count)
        XCTAssertEqual(BitmapFont.glyph(for: "é"), BitmapFont.glyph(for: "?"))
    }

    func testTextScalesByWholeFactors() {
        var small = Canvas(width: 20, height: 10, background: .white)
        small.drawText("T", x: 0, y: 0)
        var large = Canvas(width: 40, height: 20, background: .white)
        large.drawText("T", x: 0, y: 0, scale: 2)
        func inkCount(_ canvas: Canvas) -> Int { stride(from: 0, to: canvas.pixels.count, by: 3).filter { canvas.pixels[$0] < 0.5 }.count }
        XCTAssertEqual(inkCount(small), 11)   // T: 5 across + 6 down
        XCTAssertEqual(inkCount(large), 44)
        XCTAssertEqual(BitmapFont.width(of: "abc"), 17)
        XCTAssertEqual(BitmapFont.width(of: "abc", scale: 2), 34)
        XCTAssertEqual(BitmapFont.height(of: "a\nb"), 16)
    }

    func testTruncationFitsWidth() {
        XCTAssertEqual(Canvas.truncate("short", toWidth: 100), "short")
        let cut = Canvas.truncate("a very long label", toWidth: 40)
        XCTAssertTrue(cut.hasSuffix("..."))
        XCTAssertLessThanOrEqual(BitmapFont.width(of: cut), 40)
    }

    func testNumberLabels() {
        XCTAssertEqual(NumberLabel.format(0), "0")
        XCTAssertEqual(NumberLabel.format(0.123456), "0.123")
        XCTAssertEqual(NumberLabel.format(-2), "-2")
        XCTAssertEqual(NumberLabel.format(12345), "12345")
        XCTAssertEqual(NumberLabel.format(0.00001234), "1.23e-05")
    }

    func testImageBridgeRoundTripsAndExpandsGray() throws {
        let gray = try Image(width: 2, height: 1, channels: 1, pixels: [0.25, 1])
        let canvas = Canvas(image: gray)
        XCTAssertEqual(canvas.pixels, [0.25, 0.25, 0.25, 1, 1, 1])
        XCTAssertEqual(canvas.image.channels, 3)
        XCTAssertEqual(canvas.image.pixels, canvas.pixels)
    }

    func testCaptionStripIsAddedBelow() {
        let picture = Canvas(width: 200, height: 20, background: .black)
        let captioned = picture.withCaption("tone: clip [0, 1]")
        XCTAssertEqual(captioned.width, 200)
        // A small map is widened only to the minimum width; a long caption wraps instead.
        XCTAssertEqual(Canvas(width: 10, height: 5).withCaption("tone: clip [0, 1]").width, 160)
        let sentence = "saliency of tabby cat on chelsea at conv10, tone clip [0, 1], SmoothGrad over 50 samples"
        let wrapped = Canvas(width: 227, height: 10).withCaption(sentence)
        XCTAssertEqual(wrapped.width, 227)
        let lines = Canvas.wrap(sentence, toWidth: 227 - 8)
        XCTAssertGreaterThan(lines.count, 1)
        XCTAssertEqual(lines.joined(separator: " "), sentence)
        XCTAssertTrue(lines.allSatisfy { BitmapFont.width(of: $0) <= 219 })
        XCTAssertEqual(wrapped.height, 10 + BitmapFont.height(of: lines.joined(separator: "\n")) + 6)
        XCTAssertEqual(captioned.height, 20 + BitmapFont.height(of: "x") + 6)
        XCTAssertEqual(captioned.color(x: 50, y: 10), .black)
        let inkBelow = (20..<captioned.height).contains { y in (0..<100).contains { captioned.color(x: $0, y: y) == .darkGray } }
        XCTAssertTrue(inkBelow)
    }
}
