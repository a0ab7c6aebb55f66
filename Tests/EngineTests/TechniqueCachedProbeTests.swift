import XCTest
@testable import Engine

/// `CachedProbe`: one forward pass serves every layer and channel, and its answers are those of
/// the uncached techniques (`ActivationMaps`, `MaximallyActivatingPatches`).
final class TechniqueCachedProbeTests: XCTestCase {
    /// conv (1x1, weights 1, 2, -1) -> relu -> logits (flattened): two grid layers and one that is not.
    private func network() throws -> TechniqueToyNetwork {
        let weight = try Tensor(shape: [3, 1, 1, 1], data: [1, 2, -1])
        return TechniqueToyNetwork(height: 2, width: 3, channels: 1, stages: [
            .init("conv", [3, 2, 3]) { try $0.conv2d(weight: weight, bias: nil) },
            .init("relu", [3, 2, 3]) { $0.relu() },
            .init("logits", [18]) { try $0.flatten() },
        ], classes: 18)
    }

    func testOneForwardPassServesEveryLayerAndChannel() throws {
        let network = try network()
        let image = try network.image(forTensor: [1, 2, 3, 4, 5, 6])
        let probe = try CachedProbe(network: network, image: image)
        XCTAssertEqual(probe.layers.map(\.name), ["conv", "relu"], "logits has no [C, H, W] grid")
        XCTAssertEqual(network.forwardCalls, 1)
        // Hand-computed: channel c is weight[c] * pixel; the ReLU zeroes channel 2.
        XCTAssertEqual(try probe.map(layer: "conv", channel: 2).values, [-1, -2, -3, -4, -5, -6])
        XCTAssertEqual(try probe.map(layer: "conv", channel: 1).values, [2, 4, 6, 8, 10, 12])
        XCTAssertEqual(try probe.map(layer: "relu", channel: 2).values, [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(try probe.map(layer: "relu", channel: 0).values, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try probe.channelCount("relu"), 3)
        let uncached = try ActivationMaps.compute(network: network, image: image, layer: "relu", channels: [1])
        XCTAssertEqual(try probe.map(layer: "relu", channel: 1), uncached.maps[0])
        XCTAssertEqual(network.forwardCalls, 2, "only the uncached ActivationMaps ran the network again")

        let canvas = try probe.renderActivation(layer: "conv", channel: 1)
        XCTAssertGreaterThan(canvas.width, 2 * 3, "the image and the map side by side")
        XCTAssertThrowsError(try probe.map(layer: "conv", channel: 3)) { error in
            XCTAssertEqual("\(error)".contains("channel 3 is outside 0..<3 of layer 'conv'"), true, "\(error)")
        }
        XCTAssertThrowsError(try probe.map(layer: "logits", channel: 0)) { error in
            XCTAssertTrue("\(error)".contains("they are conv, relu"), "\(error)")
        }
    }

    func testPatchesMatchTheUncachedSearchAndRunThePhotosOncePerLayer() throws {
        let first = try Tensor(shape: [2, 1, 3, 3], data: [Float](repeating: 1, count: 9) + (0..<9).map { Float($0) / 8 })
        let network = TechniqueToyNetwork(height: 15, width: 15, channels: 1, stages: [
            .init("conv1", [2, 7, 7], rf: 3, jump: 2, start: 1) { try $0.conv2d(weight: first, bias: nil, stride: 2) },
        ], classes: 1)
        var photos: [Image] = []
        for (y, x) in [(7, 7), (3, 11), (1, 1), (12, 4)] {
            var pixels = [Float](repeating: 0, count: 225)
            pixels[y * 15 + x] = 1
            pixels[(y + 1) * 15 + x] = 0.8
            photos.append(try Image(width: 15, height: 15, channels: 1, pixels: pixels))
        }
        let probe = try CachedProbe(network: network, image: photos[0])
        let before = network.forwardCalls
        for channel in 0..<2 {
            let cached = try probe.patches(layer: "conv1", channel: channel, photos: photos, top: 3)
            let direct = try MaximallyActivatingPatches.compute(network: network, images: photos, layer: "conv1",
                                                                channel: channel, top: 3)
            XCTAssertEqual(cached.values, direct.values)
            XCTAssertEqual(cached.patches.map(\.imageIndex), direct.patches.map(\.imageIndex))
            XCTAssertEqual(cached.patches.map(\.x0), direct.patches.map(\.x0))
            XCTAssertEqual(cached.patches.map(\.crop.pixels), direct.patches.map(\.crop.pixels))
        }
        // One batch of 4 photos for the cache, plus one per uncached call.
        XCTAssertEqual(network.forwardCalls - before, 1 + 2)
        // Channel 0 sums the 3x3 window: the two bright pixels (1 + 0.8) inside one window.
        XCTAssertEqual(try probe.patches(layer: "conv1", channel: 0, photos: photos, top: 1).values, [1.8])
        XCTAssertThrowsError(try probe.patches(layer: "conv1", channel: 2, photos: photos))
    }
}
