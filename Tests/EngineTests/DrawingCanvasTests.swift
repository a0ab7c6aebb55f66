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

    func testLineIsAntiAliasedAlongTheDiagonal() {
        var canvas = Canvas(width: 7, height: 7, background: .white)
        canvas.drawLine(fromX: 1, y: 1, toX: 5, y: 5, color: .black)
        // Each pixel on the diagonal is mostly ink; pixels two off it are untouched; the pixel next
        // to it gets partial coverage (anti-aliasing), neither white nor black.
        for i in 1...5 { XCTAssertLessThan(canvas.color(x: i, y: i)?.red ?? 1, 0.5, "(\(i), \(i))") }
        for i in 1...4 { XCTAssertEqual(canvas.color(x: i + 2, y: i), .white) }
        let beside = canvas.color(x: 3, y: 2)?.red ?? 0
        XCTAssertGreaterThan(beside, 0.2)
        XCTAssertLessThan(beside, 0.95)
        XCTAssertEqual(canvas.color(x: 0, y: 6), .white)
    }

    func testDiscCoversItsAreaAntiAliased() {
        // A disc of radius 4.5 (fillCircle radius 4) on an 11 x 11 canvas: its ink, summed over the
        // canvas, is pi r^2 = 63.6 pixels; a jagged disc would be off by whole pixels.
        var canvas = Canvas(width: 11, height: 11, background: .white)
        canvas.fillCircle(centerX: 5, centerY: 5, radius: 4, color: .black)
        let ink = (0..<11).flatMap { y in (0..<11).map { x in 1 - (canvas.color(x: x, y: y)?.red ?? 1) } }.reduce(0, +)
        XCTAssertEqual(ink, Float.pi * 4.5 * 4.5, accuracy: 0.6)
        XCTAssertEqual(canvas.color(x: 5, y: 5), .black)
        XCTAssertEqual(canvas.color(x: 0, y: 0), .white)
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

    /// Columns of `canvas` (logical) holding ink darker than mid grey.
    private func inkColumns(_ canvas: Canvas) -> [Int] {
        (0..<canvas.width).filter { x in (0..<canvas.height).contains { (canvas.color(x: x, y: $0)?.red ?? 1) < 0.5 } }
    }

    func testTextHasInkWithinItsMeasuredWidth() throws {
        try TextFont.check()
        var canvas = Canvas(width: 120, height: 30, background: .white)
        canvas.drawText("Tabby cat", x: 10, y: 5)
        let columns = inkColumns(canvas), width = Canvas.textWidth("Tabby cat")
        XCTAssertGreaterThan(columns.count, 20)
        XCTAssertGreaterThanOrEqual(columns.min() ?? 0, 10)
        XCTAssertLessThanOrEqual(columns.max() ?? 999, 10 + width)
        // Ink reaches most of the measured width (not a stub of one glyph).
        XCTAssertGreaterThan((columns.max() ?? 0) - (columns.min() ?? 0), width * 3 / 4)
        let rows = (0..<30).filter { y in (0..<120).contains { (canvas.color(x: $0, y: y)?.red ?? 1) < 0.5 } }
        XCTAssertGreaterThanOrEqual(rows.min() ?? 0, 5)
        XCTAssertLessThan(rows.max() ?? 99, 5 + TextMetrics.lineHeight())
        // Anti-aliased: there are grey levels between paper and ink.
        let greys = canvas.pixels.filter { $0 > 0.1 && $0 < 0.9 }.count
        XCTAssertGreaterThan(greys, 20)
    }

    func testLowerCaseLAndOneDiffer() throws {
        try TextFont.check()
        // The bitmap font drew "l2++" as "12++"; in DejaVu Sans the digit has a flag and a foot.
        func drawn(_ text: String) -> Canvas {
            var canvas = Canvas(width: 40, height: 20, background: .white)
            canvas.drawText(text, x: 2, y: 2)
            return canvas
        }
        let l = drawn("l"), one = drawn("1")
        let inkL = l.pixels.map { 1 - $0 }.reduce(0, +), inkOne = one.pixels.map { 1 - $0 }.reduce(0, +)
        XCTAssertGreaterThan(inkOne, 1.3 * inkL, "1 has more ink than l")
        XCTAssertGreaterThan(inkColumns(one).count, inkColumns(l).count)
        XCTAssertNotEqual(drawn("l2++").pixels, drawn("12++").pixels)
    }

    func testTextSizesAndWidths() throws {
        try TextFont.check()
        XCTAssertEqual(TextMetrics.fontSize(scale: 1), 11)
        XCTAssertEqual(TextMetrics.fontSize(scale: 2), 16)
        XCTAssertEqual(TextMetrics.lineHeight(), 13)          // 1.164 em of 11 px, rounded up
        XCTAssertEqual(TextMetrics.height(of: "a\nb"), 26)
        // DejaVu Sans advances (units per em 2048): "i" 569, "m" 1995; at 11 px: 3.06 and 10.7 px.
        XCTAssertEqual(Canvas.textWidth("iiiiiiiiii"), 31)    // 30.6 rounded up
        XCTAssertEqual(Canvas.textWidth("mmmmmmmmmm"), 108)   // 107.2 rounded up
        // Unhinted metrics scale with the size: 16/11 of the body width, within rounding.
        XCTAssertEqual(Double(Canvas.textWidth("mmmmmmmmmm", scale: 2)), 107.2 * 16 / 11, accuracy: 1)
        XCTAssertEqual(Canvas.textWidth("ab\nabc"), Canvas.textWidth("abc"))
    }

    func testTruncationFitsWidth() {
        XCTAssertEqual(Canvas.truncate("short", toWidth: 100), "short")
        let cut = Canvas.truncate("a very long label", toWidth: 40)
        XCTAssertTrue(cut.hasSuffix("..."))
        XCTAssertLessThanOrEqual(Canvas.textWidth(cut), 40)
        XCTAssertGreaterThan(Canvas.textWidth(Canvas.truncate("a very long label", toWidth: 40) + "x"), 40 - 12)
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
        let canvas = Canvas(image: gray, scale: 1)
        XCTAssertEqual(canvas.pixels, [0.25, 0.25, 0.25, 1, 1, 1])
        XCTAssertEqual(canvas.image.channels, 3)
        XCTAssertEqual(canvas.image.pixels, canvas.pixels)
        // At 2x each image pixel is a crisp 2 x 2 block of device pixels; `image` is back at 1x.
        let doubled = Canvas(image: gray, scale: 2)
        XCTAssertEqual(doubled.pixelWidth, 4)
        XCTAssertEqual(doubled.pixels.enumerated().filter { $0.offset % 3 == 0 }.map(\.element),
                       [0.25, 0.25, 1, 1, 0.25, 0.25, 1, 1])
        XCTAssertEqual(doubled.image.pixels, canvas.pixels)
        XCTAssertEqual(doubled.deviceImage.width, 4)
        XCTAssertEqual(doubled.deviceImage.height, 2)
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
        XCTAssertTrue(lines.allSatisfy { Canvas.textWidth($0) <= 219 })
        XCTAssertEqual(wrapped.height, 10 + 13 * lines.count + 4)
        XCTAssertEqual(captioned.height, 20 + 13 + 4)
        XCTAssertEqual(captioned.color(x: 50, y: 10), .black)
        // The caption's ink is grey text below the picture, inside the caption's measured width.
        let inked = (20..<captioned.height).flatMap { y in (0..<200).filter { (captioned.color(x: $0, y: y)?.red ?? 1) < 0.7 } }
        XCTAssertGreaterThan(inked.count, 30)
        XCTAssertLessThanOrEqual(inked.max() ?? 999, 4 + Canvas.textWidth("tone: clip [0, 1]"))
    }

    func testCaptionNeverWidensBeyondThePictureOrTheMinimum() {
        let sentence = "guided Grad-CAM of the tabby cat class on chelsea at fire9/concat, tone map percentile 99.5"
        for width in [10, 28, 100, 159, 160, 227, 400] {
            let captioned = Canvas(width: width, height: 8).withCaption(sentence)
            XCTAssertEqual(captioned.width, max(width, 160), "picture \(width) wide")
            for minimum in [60, 120] {
                XCTAssertEqual(Canvas(width: width, height: 8).withCaption(sentence, minimumWidth: minimum).width,
                               max(width, minimum))
            }
        }
    }
}

final class AxisTicksTests: XCTestCase {
    func testTicksAreRoundStepsInsideTheRange() {
        // Range 0 ... 0.7 in about 5 steps: rough 0.14 -> 1 x 0.1 -> 0, 0.1, ..., 0.7.
        XCTAssertEqual(AxisTicks.step(low: 0, high: 0.7), 0.1, accuracy: 1e-12)
        XCTAssertEqual(AxisTicks.values(low: 0, high: 0.7).map { AxisTicks.label($0, step: 0.1) },
                       ["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
        // -3.37 ... 6.12: rough 1.898 -> 2 -> -2, 0, 2, 4, 6; -3.37 ... 4.12: rough 1.498 -> 1.
        XCTAssertEqual(AxisTicks.values(low: -3.37, high: 6.12), [-2, 0, 2, 4, 6])
        XCTAssertEqual(AxisTicks.values(low: -3.37, high: 4.12), [-3, -2, -1, 0, 1, 2, 3, 4])
        XCTAssertEqual(AxisTicks.label(4, step: 2), "4")
        // 0 ... 6000 examples: rough 1200 -> 1000.
        XCTAssertEqual(AxisTicks.values(low: 0, high: 6000).count, 7)
        // A 0.25 step needs two decimals; 0.5 one.
        XCTAssertEqual(AxisTicks.label(0.75, step: 0.25), "0.75")
        XCTAssertEqual(AxisTicks.label(1.5, step: 0.5), "1.5")
        XCTAssertEqual(AxisTicks.values(low: 2, high: 2), [2])
        XCTAssertEqual(AxisTicks.values(low: 0, high: .infinity), [0])
    }

    func testPlotsDrawTickLabelsAtRoundValues() throws {
        // A loss plot whose largest loss is 2.3: its y ticks are 0, 0.5, ..., 2 (rough 0.46 -> 0.5).
        let curves = LossCurves(title: "loss", series: [.init(name: "sgd", points: [(0, 2.3), (100, 1.1), (200, 0.4)])])
        let canvas = curves.render()
        DrawingTestPNG.write(canvas, name: "losscurves")
        // The tick mark for 1.0 sits left of the box at the row the plot maps 1.0 to.
        let row = curves.pixel(examples: 0, loss: 1).y
        XCTAssertEqual(canvas.color(x: LossCurves.left - 3, y: row), .darkGray)
        XCTAssertNotEqual(canvas.color(x: LossCurves.left - 3, y: row + 3), .darkGray)
    }
}
