import XCTest
@testable import Engine

final class TechniqueSegmentationTests: XCTestCase {
    /// A red disc on a noisy blue-green background; the saliency map is a blurry blob that
    /// covers only the disc's middle. The cut must recover the disc's edge from colour.
    func testRecoversDiscFromBlurrySaliency() throws {
        let size = 48
        var random = SeededRandom(seed: 3)
        var pixels = [Float](repeating: 0, count: size * size * 3)
        var truth = [Bool](repeating: false, count: size * size)
        var saliency = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let index = y * size + x
                let dy = Float(y) - 22, dx = Float(x) - 26
                let inside = dy * dy + dx * dx <= 12 * 12
                truth[index] = inside
                let noise = { random.uniform(-0.08, 0.08) }
                let color: (Float, Float, Float) = inside ? (0.85, 0.15, 0.1) : (0.1, 0.45, 0.6)
                pixels[3 * index] = color.0 + noise()
                pixels[3 * index + 1] = color.1 + noise()
                pixels[3 * index + 2] = color.2 + noise()
                saliency[index] = Foundation.exp(-(dy * dy + dx * dx) / (2 * 6 * 6)) + random.uniform(0, 0.05)
            }
        }
        let map = try ScalarMap(height: size, width: size, values: saliency)
        let result = try GraphCutSegmentation.segment(pixels: pixels, height: size, width: size, channels: 3, saliency: map)
        var agree = 0
        for index in truth.indices where (result.mask.values[index] > 0.5) == truth[index] { agree += 1 }
        let accuracy = Float(agree) / Float(truth.count)
        XCTAssertGreaterThan(accuracy, 0.98, "pixel agreement with the true disc")
        // The seeds alone cover far less than the disc: 5% of pixels vs the disc's ~19%.
        XCTAssertLessThan(Float(result.foregroundSeeds) / Float(size * size), 0.06)
        XCTAssertEqual(result.foregroundFraction, Float.pi * 144 / Float(size * size), accuracy: 0.03)
    }

    func testFlatSaliencyIsAClearError() throws {
        let map = try ScalarMap(height: 4, width: 4, values: [Float](repeating: 1, count: 16))
        XCTAssertThrowsError(try GraphCutSegmentation.segment(
            pixels: [Float](repeating: 0.5, count: 48), height: 4, width: 4, channels: 3, saliency: map)) { error in
            XCTAssertTrue("\(error)".contains("flat"), "\(error)")
        }
    }

    func testBilinearResizeMatchesHandValues() throws {
        // 2 x 2 -> 4 x 4 with half-pixel centres: first row is 0, 0.25, 0.75, 1 times the step.
        let map = try ScalarMap(height: 2, width: 2, values: [0, 1, 2, 3])
        let big = map.resized(height: 4, width: 4)
        XCTAssertEqual(Array(big.values[0..<4]), [0, 0.25, 0.75, 1])
        XCTAssertEqual(Array(big.values[4..<8]), [0.5, 0.75, 1.25, 1.5])
        XCTAssertEqual(Array(big.values[12..<16]), [2, 2.25, 2.75, 3])
    }
}
