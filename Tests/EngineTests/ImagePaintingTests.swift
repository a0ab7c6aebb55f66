import XCTest
@testable import Engine

/// "A network paints an image": positions in, colours out, fitted to a small photo.
final class ImagePaintingTests: XCTestCase {
    /// 12x12: a red disk of radius 4 on a blue-to-green horizontal ramp.
    private func photo() throws -> Image {
        var pixels = [Float]()
        for row in 0..<12 {
            for column in 0..<12 {
                let dx = Float(column) - 5.5, dy = Float(row) - 5.5
                if dx * dx + dy * dy < 16 { pixels += [1, 0, 0] } else { pixels += [0, Float(column) / 11, 1 - Float(column) / 11] }
            }
        }
        return try Image(width: 12, height: 12, channels: 3, pixels: pixels)
    }

    /// The error of painting every pixel the photo's mean colour (the best constant painting).
    private func meanColourError(_ image: Image) -> Float {
        let n = image.width * image.height
        var mean = [Float](repeating: 0, count: 3)
        for p in 0..<n { for c in 0..<3 { mean[c] += image.pixels[p * 3 + c] / Float(n) } }
        var total: Float = 0
        for p in 0..<n { for c in 0..<3 { let d = image.pixels[p * 3 + c] - mean[c]; total += d * d } }
        return total / Float(3 * n)
    }

    private func train(seed: UInt64, epochs: Int) throws -> (ImagePainting, TrainableNetwork, TrainingResult) {
        let painting = try ImagePainting(photo: try photo(), size: 12)
        var random = SeededRandom(seed: seed)
        let network = try ImagePainting.network(random: &random)
        let options = try TrainingOptions(epochs: epochs, batchSize: 5,
                                          optimizer: try OptimizerSettings(kind: .momentum, rate: 0.01, momentum: 0.9, decay: 0),
                                          seed: seed)
        let result = try Trainer.train(network, on: try painting.dataset(), options: options)
        return (painting, network, result)
    }

    func testPositionsAreTheDemosCentredCoordinates() throws {
        let painting = try ImagePainting(photo: try photo(), size: 12)
        XCTAssertEqual(painting.position(column: 0, row: 0).0, -0.5)
        XCTAssertEqual(painting.position(column: 6, row: 3).0, 0)
        XCTAssertEqual(painting.position(column: 6, row: 3).1, -0.25)
        let data = try painting.dataset()
        XCTAssertEqual(data.count, 144)
        // Pixel (row 5, column 5) is inside the disk: its target is red.
        XCTAssertEqual(try data.targetBatch([5 * 12 + 5]).data, [1, 0, 0])
        XCTAssertEqual(try data.batch([5 * 12 + 5]).data, [5 / 12 - 0.5, 5 / 12 - 0.5])
        // A 200x100 photo at size 50 keeps its aspect.
        let wide = try ImagePainting(photo: try Image(width: 200, height: 100, channels: 1, value: 0.3), size: 50)
        XCTAssertEqual([wide.width, wide.height, wide.target.channels], [50, 25, 3])
        XCTAssertThrowsError(try ImagePainting(photo: try photo(), size: 2))
    }

    /// 40 epochs (1,152 steps of 5 pixels): the painting's error ends below a quarter of the
    /// best constant painting's, and far below the untrained network's.
    func testThePaintingApproachesThePhoto() throws {
        let (painting, network, result) = try train(seed: 7, epochs: 40)
        let constant = meanColourError(painting.target)
        let error = try painting.meanSquaredError(try painting.paint(network))
        print(String(format: "paint 12x12: constant %.4f, painted %.4f after %d steps", constant, error, result.steps))
        XCTAssertEqual(result.steps, 40 * 29)
        XCTAssertLessThan(error, 0.25 * constant)
        // A larger painting of the same network: a 24x24 grid of the same function.
        let large = try ImagePainting.paint(network, width: 24, height: 24)
        XCTAssertEqual([large.width, large.height, large.channels], [24, 24, 3])
        XCTAssertTrue(large.pixels.allSatisfy { (0...1).contains($0) })
    }

    func testTheSameSeedPaintsTheSameBytes() throws {
        let (painting, first, _) = try train(seed: 11, epochs: 2)
        let (_, second, _) = try train(seed: 11, epochs: 2)
        let (_, third, _) = try train(seed: 12, epochs: 2)
        XCTAssertEqual(try painting.paint(first).pixels, try painting.paint(second).pixels)
        XCTAssertNotEqual(try painting.paint(first).pixels, try painting.paint(third).pixels)
    }

    func testThePictureShowsPaintingAndPhotoSideBySide() throws {
        let photo = try photo()
        let black = try Image(width: 12, height: 12, channels: 3, value: 0)
        let canvas = PaintingPicture(painting: black, photo: photo, steps: 10, loss: 0.5).render()
        XCTAssertEqual([canvas.width, canvas.height], [2 * 256 + 48, 256 + 52])
        // The painting's centre is black; the photo's centre (the disk) is red.
        XCTAssertEqual(canvas.color(x: 16 + 128, y: 36 + 128), RGBColor(red: 0, green: 0, blue: 0))
        XCTAssertEqual(canvas.color(x: 16 + 256 + 16 + 128, y: 36 + 128), RGBColor(red: 1, green: 0, blue: 0))
    }
}
