import XCTest
@testable import Engine

/// Images too small for a network: every technique refuses them with `ImageTooSmall` (naming the
/// side, its length and the floor) before the forward pass could fail inside conv2d.
final class TechniqueInputFloorTests: XCTestCase {
    /// conv 3x3 stride 2 without padding, then max pool 3/2: the conv's output m = (n - 3) / 2 + 1
    /// must be at least 3 for the pool, so n >= 7 by hand; the conv alone needs n >= 3.
    private func network(classes: Int = 0) throws -> TechniqueToyNetwork {
        let weight = try Tensor(shape: [2, 3, 3, 3], data: techniqueRandomValues(54, seed: 7))
        let classifier = try Tensor(shape: [2, 2], data: [1, 0, 0, 1])
        var stages: [TechniqueToyNetwork.Stage] = [
            .init("conv", [2, 15, 15]) { try $0.conv2d(weight: weight, bias: nil, stride: 2).relu() },
            .init("pool", [2, 7, 7]) { try $0.maxPool2d(kernel: 3, stride: 2) },
        ]
        if classes > 0 {
            stages.append(.init("logits", [2]) { x in
                try x.globalAvgPool().reshape([x.shape[0], 2]).linear(weight: classifier, bias: nil)
            })
        }
        return TechniqueToyNetwork(height: 32, width: 32, channels: 3, stages: stages, classes: classes,
                                   scale: 2, offset: 0.5, resizeTo: 36)
    }

    private func image(width: Int, height: Int) throws -> Image {
        try Image(width: width, height: height, channels: 3, value: 0.5)
    }

    private func assertTooSmall(_ expression: @autoclosure () throws -> Any, role: ImageTooSmall.Role,
                                side: ImageTooSmall.Side, length: Int, minimum: Int,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            guard let tooSmall = error as? ImageTooSmall else {
                return XCTFail("expected ImageTooSmall, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(tooSmall.role, role, file: file, line: line)
            XCTAssertEqual(tooSmall.side, side, file: file, line: line)
            XCTAssertEqual(tooSmall.length, length, file: file, line: line)
            XCTAssertEqual(tooSmall.minimum, minimum, file: file, line: line)
            XCTAssertTrue(tooSmall.description.contains("(\(length) px)"), tooSmall.description, file: file, line: line)
            XCTAssertTrue(tooSmall.description.contains("at least \(minimum) px"), tooSmall.description, file: file, line: line)
        }
    }

    func testFloorIsFoundFromTheLayersKernelsAndStrides() throws {
        let network = try network()
        XCTAssertEqual(try NetworkInputFloor.minimumSide(of: network, until: "conv"), 3)
        XCTAssertEqual(try NetworkInputFloor.minimumSide(of: network, until: "pool"), 7)
        XCTAssertEqual(try NetworkInputFloor.minimumSide(of: network), 7)
    }

    func testDreamOnAWideStripNamesTheShortSide() throws {
        let network = try network()
        assertTooSmall(try DeepDream.run(network: network, image: try image(width: 2000, height: 3), layer: "pool"),
                       role: .image, side: .height, length: 3, minimum: 7)
        assertTooSmall(try DeepDream.run(network: network, image: try image(width: 5, height: 40), layer: "pool"),
                       role: .image, side: .width, length: 5, minimum: 7)
        // Up to the conv alone a 3-pixel side is enough: the floor depends on the layer.
        XCTAssertNoThrow(try DeepDream.run(network: network, image: try image(width: 40, height: 3), layer: "conv",
                                           options: .init(stepsPerOctave: 1, octaves: 2)))
    }

    func testFeatureMatchingChecksEveryImageAndTheResult() throws {
        let network = try network()
        let strip = try image(width: 200, height: 3), square = try image(width: 32, height: 32)
        let options = FeatureMatching.Options(steps: 1)
        // Texture synthesis: the one image is the texture.
        assertTooSmall(try FeatureMatching.run(network: network, target: .init(style: (strip, ["pool"])),
                                               height: 32, width: 32, options: options),
                       role: .image, side: .height, length: 3, minimum: 7)
        // Style transfer: content and style are told apart.
        assertTooSmall(try FeatureMatching.run(network: network, target: .init(content: (strip, "pool"), style: (square, ["pool"])),
                                               height: 32, width: 32, options: options),
                       role: .content, side: .height, length: 3, minimum: 7)
        assertTooSmall(try FeatureMatching.run(network: network, target: .init(content: (square, "pool"), style: (strip, ["conv"])),
                                               height: 32, width: 32, options: options),
                       role: .style, side: .height, length: 3, minimum: 7)
        // A long thin style image is shrunk for its Gram matrices, but never below the floor.
        let shrunk = try FeatureMatching.boundedForStyle(try image(width: 4000, height: 8), shortestSide: 7)
        XCTAssertEqual(shrunk.height, 7)
        XCTAssertEqual(shrunk.width, 3500)
    }

    func testNetworkViewTechniquesRefuseAStripBeforeStretchingIt() throws {
        let network = try network(classes: 2)
        let strip = try image(width: 2000, height: 3)
        assertTooSmall(try InputGradient.compute(network: network, image: strip, target: .classScore(nil)),
                       role: .image, side: .height, length: 3, minimum: 7)
        assertTooSmall(try Occlusion.compute(network: network, image: strip, classIndex: nil),
                       role: .image, side: .height, length: 3, minimum: 7)
        assertTooSmall(try GradCAM.compute(network: network, image: strip, classIndex: nil, layer: "pool"),
                       role: .image, side: .height, length: 3, minimum: 7)
        assertTooSmall(try AdversarialExample.run(network: network, image: strip, target: 1),
                       role: .image, side: .height, length: 3, minimum: 7)
        // At the floor the image is fitted and runs.
        XCTAssertNoThrow(try InputGradient.compute(network: network, image: try image(width: 60, height: 7),
                                                   target: .classScore(nil)))
    }
}
