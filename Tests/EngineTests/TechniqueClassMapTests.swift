import XCTest
@testable import Engine

final class TechniqueClassMapTests: XCTestCase {
    /// conv 3x3 -> relu -> "features" [4, 6, 6] -> GAP "pool" -> linear "logits" (3 classes).
    private func gapNetwork() throws -> (TechniqueToyNetwork, Tensor) {
        let convWeight = try Tensor(shape: [4, 3, 3, 3], data: techniqueRandomValues(108, seed: 21))
        let convBias = try Tensor(shape: [4], data: [0.2, 0.1, 0.3, 0.05])
        let head = try Tensor(shape: [3, 4], data: techniqueRandomValues(12, seed: 22))
        let network = TechniqueToyNetwork(height: 6, width: 6, channels: 3, stages: [
            .init("features", [4, 6, 6], rf: 3) { try $0.conv2d(weight: convWeight, bias: convBias, padding: .symmetric(1)).relu() },
            .init("pool", [4, 1, 1], rf: 8) { try $0.globalAvgPool() },
            .init("logits", [3], rf: 8) { try $0.flatten().linear(weight: head, bias: nil) },
        ], classes: 3, scale: 4, offset: 0.5)
        return (network, head)
    }

    private func image(seed: UInt64) throws -> Image {
        try Image(width: 6, height: 6, channels: 3, pixels: techniqueRandomValues(108, seed: seed).map { ($0 + 1) / 2 })
    }

    func testCAMIsClassifierWeightedSumAndGradCAMIsItsReLUOverArea() throws {
        let (network, head) = try gapNetwork()
        let image = try image(seed: 23)
        let (features, _) = try network.forward(try network.preprocess(image), capture: [], until: "features")
        for classIndex in 0..<3 {
            let cam = try ClassActivationMap.compute(network: network, image: image, classIndex: classIndex)
            let gradCAM = try GradCAM.compute(network: network, image: image, classIndex: classIndex, layer: "features")
            XCTAssertEqual(cam.layer, "features")
            for channel in 0..<4 { XCTAssertEqual(cam.channelWeights[channel], head.data[classIndex * 4 + channel], accuracy: 1e-5) }
            for index in 0..<36 {
                var expected: Float = 0
                for channel in 0..<4 { expected += head.data[classIndex * 4 + channel] * features.data[channel * 36 + index] }
                XCTAssertEqual(cam.layerMap.values[index], expected, accuracy: 1e-4)
                // Grad-CAM weights are the mean gradient W_kc / 36; then the ReLU.
                XCTAssertEqual(gradCAM.layerMap.values[index], max(expected, 0) / 36, accuracy: 1e-5)
            }
            XCTAssertEqual(cam.upsampled.height, 6)
        }
    }

    /// SqueezeNet's shape: the logits are the spatial mean of the last convolution's output,
    /// so the CAM of class k is channel k and Grad-CAM is the same divided by H * W.
    func testSqueezeNetShapedCAMIsChannelAndGradCAMMatchesUpToScale() throws {
        let convWeight = try Tensor(shape: [3, 3, 3, 3], data: techniqueRandomValues(81, seed: 31))
        let network = TechniqueToyNetwork(height: 8, width: 8, channels: 3, stages: [
            .init("conv10", [3, 4, 4], rf: 3, jump: 2) { try $0.conv2d(weight: convWeight, bias: nil, stride: 2, padding: .symmetric(1)).relu() },
            .init("logits", [3, 1, 1], rf: 9, jump: 2) { try $0.globalAvgPool() },
        ], classes: 3)
        let image = try Image(width: 8, height: 8, channels: 3, pixels: techniqueRandomValues(192, seed: 32).map { ($0 + 1) / 2 })
        let (conv10, _) = try network.forward(try network.preprocess(image), capture: [], until: "conv10")
        for classIndex in 0..<3 {
            let cam = try ClassActivationMap.compute(network: network, image: image, classIndex: classIndex)
            let gradCAM = try GradCAM.compute(network: network, image: image, classIndex: classIndex, layer: "conv10")
            XCTAssertEqual(Array(conv10.data[(classIndex * 16)..<((classIndex + 1) * 16)]), cam.layerMap.values)
            for index in 0..<16 { XCTAssertEqual(gradCAM.layerMap.values[index], cam.layerMap.values[index] / 16, accuracy: 1e-6) }
        }
    }

    func testCAMRefusesNetworkWithoutGlobalAveragePooling() throws {
        let weight = try Tensor(shape: [2, 12], data: techniqueRandomValues(24, seed: 5))
        let network = TechniqueToyNetwork(height: 2, width: 2, channels: 3, stages: [
            .init("logits", [2]) { try $0.flatten().linear(weight: weight, bias: nil) },
        ], classes: 2)
        let image = try Image(width: 2, height: 2, channels: 3, value: 0.5)
        XCTAssertThrowsError(try ClassActivationMap.compute(network: network, image: image, classIndex: 0)) { error in
            XCTAssertTrue("\(error)".contains("global average pooling"), "\(error)")
        }
    }

    func testGuidedGradCAMIsProductOfItsParts() throws {
        let (network, _) = try gapNetwork()
        let image = try image(seed: 24)
        let result = try GradCAM.guided(network: network, image: image, classIndex: 1, layer: "features")
        for index in result.product.indices {
            XCTAssertEqual(result.product[index], result.guided.gradient[index] * result.gradCAM.upsampled.values[index / 3], accuracy: 1e-6)
        }
        XCTAssertEqual(result.guided.rule, .guided)
        XCTAssertGreaterThan(result.render().width, 4 * 6)
    }
}
