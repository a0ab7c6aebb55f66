import XCTest
@testable import Engine

final class FeatureMatchingTests: XCTestCase {
    /// Bias correction makes Adam's first step exactly rate * sign(gradient).
    func testAdamFirstStepIsRateTimesSign() {
        var adam = AdamState(count: 4)
        var values: [Float] = [0, 1, 2, 3]
        adam.step(&values, gradient: [0.5, -2, 1e-3, 0], rate: 0.1)
        XCTAssertEqual(values[0], -0.1, accuracy: 1e-6)
        XCTAssertEqual(values[1], 1.1, accuracy: 1e-6)
        XCTAssertEqual(values[2], 1.9, accuracy: 1e-4)
        XCTAssertEqual(values[3], 3, "no gradient, no step")
    }

    /// With a layer that is the input itself (x = 2 (BGR - 0.5)), inverting its features from
    /// noise must give back the image: the answer is known exactly.
    func testInvertingAnIdentityLayerRecoversTheImage() throws {
        let network = TechniqueToyNetwork(height: 16, width: 16, channels: 3, stages: [
            .init("same", [3, 16, 16]) { $0 * 1 },
        ], classes: 0, scale: 2, offset: 0.5, reverseChannels: true)
        let image = try Image(width: 16, height: 16, channels: 3,
                              pixels: techniqueRandomValues(16 * 16 * 3, seed: 51).map { 0.5 + 0.4 * $0 })
        let result = try FeatureMatching.run(network: network, target: .init(content: (image, "same")), height: 16, width: 16,
                                             options: .init(steps: 300, rate: 0.02, seed: 2))
        let worst = zip(result.image.pixels, image.pixels).map { abs($0 - $1) }.max() ?? 1
        XCTAssertLessThan(worst, 0.02)
        XCTAssertLessThan(result.losses.last ?? 1, 1e-3 * (result.losses.first ?? 0))
    }

    /// Matching Gram matrices from noise lowers the style loss by orders of magnitude, and the
    /// result's Gram matrix is close to the target's.
    func testTextureSynthesisMatchesTheGramMatrix() throws {
        let weight = try Tensor(shape: [4, 3, 3, 3], data: techniqueRandomValues(108, seed: 52))
        let network = TechniqueToyNetwork(height: 16, width: 16, channels: 3, stages: [
            .init("conv", [4, 16, 16]) { try $0.conv2d(weight: weight, bias: nil, stride: 1, padding: .symmetric(1)).relu() },
        ], classes: 0, offset: 0.5)
        let stripes = try Image(width: 16, height: 16, channels: 3,
                                pixels: (0..<(16 * 16 * 3)).map { index in (index / 3) % 16 < 8 ? 0.8 : 0.2 })
        let result = try FeatureMatching.run(network: network, target: .init(style: (stripes, ["conv"])), height: 16, width: 16,
                                             options: .init(steps: 150, rate: 0.02, seed: 3))
        XCTAssertLessThan(result.losses.last ?? 1, 0.01 * (result.losses.first ?? 0))
        let space = try InputSpace(network: network)
        func gram(_ image: Image) throws -> [Float] {
            try network.forward(try space.tensor(from: image), capture: [], until: "conv").output.gram().data
        }
        let (want, got) = (try gram(stripes), try gram(result.image))
        let scale = want.map(abs).max() ?? 1
        for (w, g) in zip(want, got) { XCTAssertEqual(g, w, accuracy: 0.1 * scale) }
    }

    func testUnknownLayersAndEmptyTargetsAreRefused() throws {
        let network = TechniqueToyNetwork(height: 16, width: 16, channels: 3, stages: [.init("same", [3, 16, 16]) { $0 * 1 }], classes: 0)
        let image = try Image(width: 16, height: 16, channels: 3, value: 0.5)
        XCTAssertThrowsError(try FeatureMatching.run(network: network, target: .init(content: (image, "fire5")), height: 16, width: 16)) {
            XCTAssertTrue("\($0)".contains("has no layer 'fire5'"), "\($0)")
        }
        XCTAssertThrowsError(try FeatureMatching.run(network: network, target: .init(), height: 16, width: 16))
    }
}
