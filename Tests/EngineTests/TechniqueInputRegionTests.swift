import XCTest
@testable import Engine

/// Maps computed on a network's centre crop are laid back on the crop's part of the photo.
final class TechniqueInputRegionTests: XCTestCase {
    /// A 100 x 100 input made like the real networks': shorter side to 120, centre crop.
    private func network() -> TechniqueToyNetwork {
        TechniqueToyNetwork(height: 100, width: 100, channels: 3, stages: [], classes: 0,
                            scale: 2, offset: 0.5, reverseChannels: true, resizeTo: 120)
    }

    /// By hand: 600 x 300 scales by 120 / 300 = 0.4 to 240 x 120; the centre 100 x 100 starts at
    /// (70, 10) there, which is (175, 25) in the photo, and spans 100 / 0.4 = 250 photo pixels.
    /// Shrinking averages areas, and an area boundary that splits a photo pixel counts that pixel at
    /// its centre, so the measured ramps are exact only to a fraction of a photo pixel: within 0.3 of
    /// a pixel here (0.15 at half resolution), far below anything a picture could show.
    func testMeasuredRegionIsTheHandComputedCentreCrop() throws {
        let region = try InputRegion.measure(network: network(), width: 600, height: 300)
        XCTAssertEqual(region.sourceWidth, 600)
        XCTAssertEqual(region.sourceHeight, 300)
        XCTAssertEqual(region.x, 175, accuracy: 0.3)
        XCTAssertEqual(region.y, 25, accuracy: 0.3)
        XCTAssertEqual(region.width, 250, accuracy: 0.3)
        XCTAssertEqual(region.height, 250, accuracy: 0.3)
        // A tall photo: 300 x 900 scales by 0.4 to 120 x 360; crop at (10, 130) -> (25, 325).
        let tall = try InputRegion.measure(network: network(), width: 300, height: 900)
        XCTAssertEqual(tall.x, 25, accuracy: 0.3)
        XCTAssertEqual(tall.y, 325, accuracy: 0.3)
        XCTAssertEqual(tall.height, 250, accuracy: 0.3)
        // The same photo at half the resolution; a different aspect ratio is another photo.
        let half = try XCTUnwrap(region.scaled(toWidth: 300, height: 150))
        XCTAssertEqual(half.x, 87.5, accuracy: 0.15)
        XCTAssertEqual(half.width, 125, accuracy: 0.15)
        XCTAssertNil(region.scaled(toWidth: 300, height: 300))
    }

    /// A 100 x 100 map, 0 to 0.5 from left to right, with one bright 20 x 20 square at rows
    /// 40..<60, columns 60..<80. On the 600 x 300 photo it belongs at x 175 + 2.5 * [60, 80) =
    /// [325, 375), y 25 + 2.5 * [40, 60) = [125, 175): centre (350, 150). Stretched over the
    /// whole photo (the old behaviour) its centre would be at x 70 / 100 * 600 = 420.
    func testSaliencySeedsLandOnTheBrightSquareInPhotoCoordinates() throws {
        var values = [Float](repeating: 0, count: 100 * 100)
        for y in 0..<100 {
            for x in 0..<100 { values[y * 100 + x] = (y >= 40 && y < 60 && x >= 60 && x < 80) ? 1 : 0.5 * Float(x) / 100 }
        }
        let map = try ScalarMap(height: 100, width: 100, values: values)
        let region = try InputRegion.measure(network: network(), width: 600, height: 300)
        let placed = try GraphCutSegmentation.placed(map, region: region, width: 600, height: 300)
        XCTAssertTrue(placed[150, 100].isNaN, "left of the crop nothing was measured")
        XCTAssertTrue(placed[150, 500].isNaN, "right of the crop nothing was measured")
        XCTAssertEqual(placed[150, 350], 1, accuracy: 1e-6)

        var options = GraphCutSegmentation.Options()
        options.foregroundQuantile = 0.97 // the square is 4% of the measured pixels
        let seeds = try SegmentationSeeds(saliency: placed, options: options)
        var count = 0, sumX = 0, sumY = 0
        for index in seeds.kind.indices where seeds.kind[index] == .foreground {
            let (y, x) = (index / 600, index % 600)
            XCTAssertTrue((325..<375).contains(x) && (125..<175).contains(y), "seed at (\(x), \(y)) is off the square")
            count += 1; sumX += x; sumY += y
        }
        XCTAssertGreaterThan(count, 40 * 40)
        XCTAssertEqual(Double(sumX) / Double(count), 349.5, accuracy: 1)
        XCTAssertEqual(Double(sumY) / Double(count), 149.5, accuracy: 1)
        // Unmeasured pixels off the border seed neither side.
        XCTAssertEqual(seeds.kind[150 * 600 + 100], .unknown)
        XCTAssertEqual(seeds.kind[150 * 600 + 2], .background, "the border is background")
    }

    func testAMapWithoutRegionMustHaveThePhotosAspectRatio() throws {
        let map = try ScalarMap(height: 100, width: 100, values: [Float](repeating: 0, count: 10_000))
        XCTAssertThrowsError(try GraphCutSegmentation.placed(map, region: nil, width: 600, height: 300)) { error in
            XCTAssertTrue("\(error)".contains("does not say where it lies"), "\(error)")
        }
        XCTAssertEqual(try GraphCutSegmentation.placed(map, region: nil, width: 300, height: 300).width, 300)
    }
}
