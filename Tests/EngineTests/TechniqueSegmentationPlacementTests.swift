import XCTest
@testable import Engine

/// segment on a photo that is not square: the map of the network's centre crop must cut the
/// object where it is in the photo, and GrabCut's box must keep what lies outside it background.
final class TechniqueSegmentationPlacementTests: XCTestCase {
    /// As in TechniqueInputRegionTests: a 100 x 100 input, shorter side to 120, centre crop. On a
    /// 600 x 300 photo the crop is x 175 ..< 425, y 25 ..< 275, 2.5 photo pixels per input pixel.
    private func network() -> TechniqueToyNetwork {
        TechniqueToyNetwork(height: 100, width: 100, channels: 3, stages: [], classes: 0,
                            scale: 2, offset: 0.5, reverseChannels: true, resizeTo: 120)
    }

    /// A red disc of radius 30 at photo (350, 150), inside the crop, and a red decoy of the
    /// same colour at (80, 150), left of the crop where no map was measured; noisy teal
    /// elsewhere. The map is a noisy Gaussian blob at input (70, 50), i.e. photo
    /// (175 + 2.5 * 70.5, 25 + 2.5 * 50.5) = (351.25, 151.25): the disc.
    private func scene() throws -> (photo: Image, map: ScalarMap, disc: [Bool], decoy: [Bool]) {
        let (width, height) = (600, 300)
        var random = SeededRandom(seed: 11)
        var pixels = [Float](repeating: 0, count: width * height * 3)
        var disc = [Bool](repeating: false, count: width * height)
        var decoy = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let index = y * width + x
                func inside(_ cx: Float, _ cy: Float) -> Bool {
                    let dx = Float(x) + 0.5 - cx, dy = Float(y) + 0.5 - cy
                    return dx * dx + dy * dy <= 30 * 30
                }
                disc[index] = inside(350, 150)
                decoy[index] = inside(80, 150)
                let color: (Float, Float, Float) = disc[index] || decoy[index] ? (0.85, 0.15, 0.1) : (0.1, 0.45, 0.6)
                pixels[3 * index] = color.0 + random.uniform(-0.08, 0.08)
                pixels[3 * index + 1] = color.1 + random.uniform(-0.08, 0.08)
                pixels[3 * index + 2] = color.2 + random.uniform(-0.08, 0.08)
            }
        }
        var values = [Float](repeating: 0, count: 100 * 100)
        for y in 0..<100 {
            for x in 0..<100 {
                let dx = Float(x) - 70, dy = Float(y) - 50
                values[y * 100 + x] = Foundation.exp(-(dx * dx + dy * dy) / (2 * 5 * 5)) + random.uniform(0, 0.1)
            }
        }
        return (try Image(width: width, height: height, channels: 3, pixels: pixels),
                try ScalarMap(height: 100, width: 100, values: values), disc, decoy)
    }

    func testTheCropsMapCutsTheDiscWhereItIsInThePhoto() throws {
        let (photo, map, disc, _) = try scene()
        let region = try InputRegion.measure(network: network(), width: 600, height: 300)
        let result = try GraphCutSegmentation.segment(image: photo, saliency: map, region: region)
        XCTAssertEqual(result.mask.width, 600)
        // Inside the crop the mask is the disc; its centroid is the disc's centre.
        var agree = 0, total = 0, sumX = 0.0, sumY = 0.0, count = 0.0
        for y in 25..<275 {
            for x in 175..<425 {
                let index = y * 600 + x
                let object = result.mask.values[index] > 0.5
                if object == disc[index] { agree += 1 }
                total += 1
                if object { sumX += Double(x) + 0.5; sumY += Double(y) + 0.5; count += 1 }
            }
        }
        XCTAssertGreaterThan(Double(agree) / Double(total), 0.99)
        XCTAssertEqual(sumX / count, 350, accuracy: 1.5)
        XCTAssertEqual(sumY / count, 150, accuracy: 1.5)
        // Stretched over the whole photo (the map's x 70.5 / 100 * 600 = 423) it would miss the disc.
        let stretched = try GraphCutSegmentation.placed(map, region: .whole(width: 100, height: 100), width: 300, height: 300)
        XCTAssertEqual(stretched.width, 300, "a square map is only laid whole on a square photo")
    }

    /// Without a box the decoy, never measured, is cut by colour alone and joins the object;
    /// with box: true (the box around the salient region) it lies outside the box and is
    /// background, as is every pixel outside the box, while the disc stays whole.
    func testTheBoxAroundTheSalientRegionKeepsTheDecoyOut() throws {
        let (photo, map, disc, decoy) = try scene()
        let region = try InputRegion.measure(network: network(), width: 600, height: 300)
        let plain = try GraphCutSegmentation.segment(image: photo, saliency: map, region: region)
        let decoyPixels = decoy.indices.filter { decoy[$0] }
        XCTAssertGreaterThan(decoyPixels.filter { plain.mask.values[$0] > 0.5 }.count, decoyPixels.count / 2)

        var options = GraphCutSegmentation.Options()
        options.box = .fromSaliency(margin: 0.1)
        let boxed = try GraphCutSegmentation.segment(image: photo, saliency: map, region: region, options: options)
        let box = try XCTUnwrap(boxed.box)
        // The smoothed blob's top 5% of the 250 x 250 measured pixels is a disc of radius
        // sqrt(0.05 * 62500 / pi) = 31.5 about (351, 151); its 2nd-98th percentiles span about
        // +-25, widened by 10%: x about 326 - 5 ... 376 + 5.
        XCTAssertEqual(Double(box.x) + Double(box.width) / 2, 351, accuracy: 3)
        XCTAssertEqual(Double(box.y) + Double(box.height) / 2, 151, accuracy: 3)
        XCTAssertTrue((45...75).contains(box.width), "box width \(box.width)")
        XCTAssertEqual(decoyPixels.filter { boxed.mask.values[$0] > 0.5 }.count, 0)
        for y in 0..<300 {
            for x in 0..<600 where !(box.x..<(box.x + box.width)).contains(x) || !(box.y..<(box.y + box.height)).contains(y) {
                XCTAssertEqual(boxed.mask[y, x], 0, "(\(x), \(y)) is outside the box")
            }
        }
        // The disc (radius 30) sticks out of a box of side about 60 only by its rim.
        let discPixels = disc.indices.filter { disc[$0] }
        let kept = discPixels.filter { boxed.mask.values[$0] > 0.5 }.count
        XCTAssertGreaterThan(Double(kept) / Double(discPixels.count), 0.9)
    }

    /// A given rectangle: nothing outside it is foreground; one off the image is an error.
    func testAGivenRectangleBoundsTheMask() throws {
        let (photo, map, _, _) = try scene()
        let region = try InputRegion.measure(network: network(), width: 600, height: 300)
        var options = GraphCutSegmentation.Options()
        options.box = .rectangle(x: 300, y: 100, width: 100, height: 100)
        let result = try GraphCutSegmentation.segment(image: photo, saliency: map, region: region, options: options)
        var outside: Float = 0
        for y in 0..<300 {
            for x in 0..<600 where !(300..<400).contains(x) || !(100..<200).contains(y) { outside += result.mask[y, x] }
        }
        XCTAssertEqual(outside, 0)
        XCTAssertGreaterThan(result.foregroundFraction * 600 * 300, 0.9 * Float.pi * 900)
        options.box = .rectangle(x: 700, y: 0, width: 10, height: 10)
        XCTAssertThrowsError(try GraphCutSegmentation.segment(image: photo, saliency: map, region: region, options: options)) {
            XCTAssertTrue("\($0)".contains("box covers none"), "\($0)")
        }
    }

    /// The smoothing ignores unmeasured pixels: a constant map stays constant up to the crop's
    /// edge (a plain blur would darken it), and NaN stays NaN. A single spike spreads as the
    /// Gaussian: its centre keeps 1 / (2 pi sigma^2) of it.
    func testSmoothingIsANormalisedGaussian() throws {
        var values = [Float](repeating: 2, count: 20 * 30)
        for y in 0..<20 { for x in 0..<5 { values[y * 30 + x] = .nan } }
        let smoothed = SegmentationSeeds.smoothed(ScalarMap(validHeight: 20, width: 30, values: values), sigma: 2)
        XCTAssertTrue(smoothed[10, 2].isNaN)
        XCTAssertEqual(smoothed[10, 5], 2, accuracy: 1e-5)
        XCTAssertEqual(smoothed[0, 29], 2, accuracy: 1e-5)
        var spike = [Float](repeating: 0, count: 41 * 41)
        spike[20 * 41 + 20] = 1
        let spread = SegmentationSeeds.smoothed(ScalarMap(validHeight: 41, width: 41, values: spike), sigma: 2)
        XCTAssertEqual(spread[20, 20], 1 / (2 * Float.pi * 4), accuracy: 2e-4)
        XCTAssertEqual(spread[20, 22] / spread[20, 20], Foundation.exp(-0.5), accuracy: 1e-4)
    }
}
