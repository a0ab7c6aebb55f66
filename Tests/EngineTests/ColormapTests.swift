import XCTest
@testable import Engine

final class ColormapTests: XCTestCase {
    func testViridisEndpointsMatchMatplotlib() {
        XCTAssertEqual(Colormap.viridis.color(0).hex, 0x440154)
        XCTAssertEqual(Colormap.viridis.color(1).hex, 0xFDE725)
        XCTAssertEqual(Colormap.viridisTable.count, 256)
        // matplotlib: viridis(0.5) = (0.127568, 0.566949, 0.550556) -> #21918c (entries 127/128 average)
        let middle = Colormap.viridis.color(0.5)
        XCTAssertEqual(middle.red, 0.128, accuracy: 0.01)
        XCTAssertEqual(middle.green, 0.567, accuracy: 0.01)
        XCTAssertEqual(middle.blue, 0.551, accuracy: 0.01)
    }

    func testViridisLightnessIncreasesMonotonically() {
        // Perceptual maps get brighter with value. Viridis is uniform in CAM02-UCS lightness, not in
        // Rec. 601 luma, so luma is checked in steps of 1/16 where it must clearly increase.
        let luma = (0...16).map { step -> Float in
            let c = Colormap.viridis.color(Float(step) / 16)
            return 0.299 * c.red + 0.587 * c.green + 0.114 * c.blue
        }
        for step in 1..<luma.count { XCTAssertGreaterThan(luma[step], luma[step - 1]) }
    }

    func testGrayIsIdentityAndClamps() {
        XCTAssertEqual(Colormap.gray.color(0.25), RGBColor(gray: 0.25))
        XCTAssertEqual(Colormap.gray.color(-1), RGBColor(gray: 0))
        XCTAssertEqual(Colormap.gray.color(2), RGBColor(gray: 1))
        XCTAssertEqual(Colormap.gray.color(.nan), RGBColor(gray: 0))
    }

    func testDivergingIsBlueWhiteRed() {
        XCTAssertEqual(Colormap.diverging.color(0).hex, 0x2166AC)
        XCTAssertEqual(Colormap.diverging.color(0.5).hex, 0xF7F7F7)
        XCTAssertEqual(Colormap.diverging.color(1).hex, 0xB2182B)
        let low = Colormap.diverging.color(0.1), high = Colormap.diverging.color(0.9)
        XCTAssertGreaterThan(low.blue, low.red)
        XCTAssertGreaterThan(high.red, high.blue)
    }

    func testRenderProducesOnePixelPerValue() throws {
        let canvas = try XCTUnwrap(Colormap.viridis.render([0, 1], width: 2, height: 1))
        XCTAssertEqual(canvas.color(x: 0, y: 0)?.hex, 0x440154)
        XCTAssertEqual(canvas.color(x: 1, y: 0)?.hex, 0xFDE725)
        XCTAssertNil(Colormap.gray.render([0, 1, 2], width: 2, height: 1))
    }

    func testCategoricalPaletteHasTwentyDistinctColours() {
        XCTAssertEqual(Set(CategoricalPalette.colors.map(\.hex)).count, 20)
        XCTAssertEqual(CategoricalPalette.color(0).hex, 0x1F77B4)
        XCTAssertEqual(CategoricalPalette.color(20), CategoricalPalette.color(0))
        XCTAssertEqual(CategoricalPalette.color(-1), RGBColor(gray: 0.6))
    }
}
