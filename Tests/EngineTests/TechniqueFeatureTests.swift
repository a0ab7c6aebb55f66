import XCTest
@testable import Engine

final class TechniqueFeatureTests: XCTestCase {
    /// features = the image itself (identity layer), so distances are pixel distances.
    private func identityNetwork() -> TechniqueToyNetwork {
        TechniqueToyNetwork(height: 2, width: 2, channels: 1, stages: [
            .init("code", [1, 2, 2]) { $0 },
            .init("logits", [4]) { try $0.flatten() },
        ], classes: 4)
    }

    func testFeaturesAndNeighborsByEuclideanDistance() throws {
        let network = identityNetwork()
        let levels: [Float] = [0.9, 0.1, 0.45, 0.6, 0.52]
        let images = try levels.map { try Image(width: 2, height: 2, channels: 1, value: $0) }
        let query = try Image(width: 2, height: 2, channels: 1, value: 0.5)
        let matrix = try FeatureExtraction.features(network: network, images: images, layer: "code")
        XCTAssertEqual(matrix.rows, 5)
        XCTAssertEqual(matrix.columns, 4)
        XCTAssertEqual(Array(matrix[2]), [0.45, 0.45, 0.45, 0.45])
        let result = try FeatureExtraction.neighbors(network: network, query: query, images: images, layer: "code", k: 3)
        // |0.5 - level| * sqrt(4): 0.52 -> 0.04, 0.45 -> 0.1, 0.6 -> 0.2.
        XCTAssertEqual(result.indices, [4, 2, 3])
        XCTAssertEqual(result.distances[0], 0.04, accuracy: 1e-5)
        XCTAssertEqual(result.distances[1], 0.1, accuracy: 1e-5)
        XCTAssertEqual(result.distances[2], 0.2, accuracy: 1e-5)
        XCTAssertEqual(result.allDistances.count, 5)
        XCTAssertGreaterThan(result.render().width, 3 * 96)
    }

    func testActivationsReturnChosenChannels() throws {
        let weight = try Tensor(shape: [3, 1, 1, 1], data: [1, 2, -1])
        let network = TechniqueToyNetwork(height: 2, width: 3, channels: 1, stages: [
            .init("conv", [3, 2, 3]) { try $0.conv2d(weight: weight, bias: nil) },
        ], classes: 1)
        let image = try network.image(forTensor: [1, 2, 3, 4, 5, 6])
        let result = try ActivationMaps.compute(network: network, image: image, layer: "conv", channels: [2, 1])
        XCTAssertEqual(result.maps[0].values, [-1, -2, -3, -4, -5, -6])
        XCTAssertEqual(result.maps[1].values, [2, 4, 6, 8, 10, 12])
        XCTAssertEqual(result.channelCount, 3)
        XCTAssertThrowsError(try ActivationMaps.compute(network: network, image: image, layer: "conv", channels: [3]))
    }

    /// A 3x3 stride-2 convolution then a 3x3 stride-1 one: receptive field 7, jump 2, start 1 + ...
    /// The crops must be receptive-field sized away from the border and clipped at it.
    func testPatchCropsHaveTheReceptiveFieldSize() throws {
        let first = try Tensor(shape: [1, 1, 3, 3], data: [Float](repeating: 1, count: 9))
        let second = try Tensor(shape: [1, 1, 3, 3], data: [Float](repeating: 1, count: 9))
        // conv1: k3 s2 p0 -> RF 3, jump 2, start 1. conv2: k3 s1 p0 -> RF 3 + 2*2 = 7, jump 2, start 1 + 1*2 = 3.
        let network = TechniqueToyNetwork(height: 15, width: 15, channels: 1, stages: [
            .init("conv1", [1, 7, 7], rf: 3, jump: 2, start: 1) { try $0.conv2d(weight: first, bias: nil, stride: 2) },
            .init("conv2", [1, 5, 5], rf: 7, jump: 2, start: 3) { try $0.conv2d(weight: second, bias: nil) },
        ], classes: 1)
        // One bright spot per image at a different place; the unit over it fires most.
        var images: [Image] = []
        for (y, x) in [(7, 7), (3, 11), (1, 1)] {
            var pixels = [Float](repeating: 0, count: 225)
            pixels[y * 15 + x] = 1
            pixels[(y + 1) * 15 + x] = 0.8
            images.append(try Image(width: 15, height: 15, channels: 1, pixels: pixels))
        }
        let result = try MaximallyActivatingPatches.compute(network: network, images: images, layer: "conv2", channel: 0, top: 3)
        XCTAssertEqual(result.patches.count, 3)
        XCTAssertEqual(result.receptiveField, 7)
        for patch in result.patches {
            let info = network.layers[1]
            let centreX = Int(info.start) + patch.x * info.jump, centreY = Int(info.start) + patch.y * info.jump
            XCTAssertEqual(patch.x0, max(0, centreX - 3))
            XCTAssertEqual(patch.y0, max(0, centreY - 3))
            XCTAssertEqual(patch.x1, min(15, centreX + 4))
            XCTAssertEqual(patch.crop.width, patch.x1 - patch.x0)
            XCTAssertEqual(patch.crop.height, patch.y1 - patch.y0)
        }
        // Units whose field lies inside the image give full 7 x 7 crops.
        let inside = result.patches.filter { $0.imageIndex == 0 }
        XCTAssertEqual(inside.first?.crop.width, 7)
        XCTAssertEqual(inside.first?.crop.height, 7)
        // Values are sorted, largest first.
        XCTAssertEqual(result.values, result.values.sorted(by: >))
    }
}
