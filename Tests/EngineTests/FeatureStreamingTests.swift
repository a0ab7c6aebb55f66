import XCTest
@testable import Engine

/// features() pooling by hand, and the streaming neighbours against distances of the full matrix.
final class FeatureStreamingTests: XCTestCase {
    private func network() throws -> TechniqueToyNetwork {
        let weight = try Tensor(shape: [2, 1, 1, 1], data: [1, -2])
        return TechniqueToyNetwork(height: 2, width: 2, channels: 1, stages: [
            .init("conv", [2, 2, 2]) { try $0.conv2d(weight: weight, bias: nil) },
        ], classes: 1)
    }

    func testPoolingByHand() throws {
        let net = try network()
        let image = try Image(width: 2, height: 2, channels: 1, pixels: [0.1, 0.2, 0.3, 0.6])
        let flat = try FeatureExtraction.features(network: net, images: [image], layer: "conv")
        XCTAssertEqual(flat.columns, 8)
        let mean = try FeatureExtraction.features(network: net, images: [image], layer: "conv", pooling: .mean)
        // channel 0: mean of the pixels 0.3; channel 1: -2 x that.
        XCTAssertEqual(mean.columns, 2)
        XCTAssertEqual(mean.values[0], 0.3, accuracy: 1e-6)
        XCTAssertEqual(mean.values[1], -0.6, accuracy: 1e-6)
        let maximum = try FeatureExtraction.features(network: net, images: [image], layer: "conv", pooling: .max)
        XCTAssertEqual(maximum.values[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(maximum.values[1], -0.2, accuracy: 1e-6)
    }

    func testStreamingNeighboursMatchTheFullMatrix() throws {
        let net = try network()
        var random = SeededRandom(seed: 4)
        let images = try (0..<30).map { _ in
            try Image(width: 2, height: 2, channels: 1, pixels: (0..<4).map { _ in Float(random.integer(in: 0..<10)) / 10 })
        }
        let query = images[7]
        var steps: [Int] = []
        let result = try FeatureExtraction.neighbors(network: net, query: query, images: images, layer: "conv", k: 5,
                                                     progress: { done, _ in steps.append(done) })
        let matrix = try FeatureExtraction.features(network: net, images: [query] + images, layer: "conv")
        let distances = (1..<matrix.rows).map { matrix.distance(0, $0) }
        let order = distances.indices.sorted { (distances[$0], $0) < (distances[$1], $1) }
        XCTAssertEqual(result.indices, Array(order.prefix(5)))
        XCTAssertEqual(result.indices.first, 7)
        XCTAssertEqual(result.allDistances, distances)
        XCTAssertEqual(steps.last, 30) // progress counts images
    }
}
