import XCTest
@testable import Engine

final class TechniqueGradientTests: XCTestCase {
    /// logits = W x: the gradient of class k is row k of W, so saliency = max_c |W_k|.
    /// The network reads BGR scaled by 2, so in image space the gradient is 2 * W with
    /// channels reversed.
    func testLinearModelSaliencyIsAbsoluteWeightMaxOverChannels() throws {
        let (channels, height, width, classes) = (3, 4, 5, 2)
        let inputs = channels * height * width
        let weight = try Tensor(shape: [classes, inputs], data: techniqueRandomValues(classes * inputs, seed: 11))
        let network = TechniqueToyNetwork(height: height, width: width, channels: channels, stages: [
            .init("logits", [classes]) { try $0.flatten().linear(weight: weight, bias: nil) },
        ], classes: classes, scale: 2, offset: 0.5, reverseChannels: true)
        let image = try Image(width: width, height: height, channels: 3, pixels: techniqueRandomValues(inputs, seed: 12).map { ($0 + 1) / 2 })

        for classIndex in 0..<classes {
            let result = try InputGradient.compute(network: network, image: image, target: .classScore(classIndex))
            XCTAssertEqual(result.classIndex, classIndex)
            for y in 0..<height {
                for x in 0..<width {
                    var expectedSaliency: Float = 0
                    for imageChannel in 0..<3 {
                        let tensorChannel = 2 - imageChannel
                        let w = weight.data[classIndex * inputs + (tensorChannel * height + y) * width + x]
                        XCTAssertEqual(result.gradient[(y * width + x) * 3 + imageChannel], 2 * w, accuracy: 1e-5)
                        expectedSaliency = max(expectedSaliency, abs(2 * w))
                    }
                    XCTAssertEqual(result.saliency[y, x], expectedSaliency, accuracy: 1e-5)
                }
            }
        }
        // A linear model's gradient does not depend on the input: SmoothGrad changes nothing.
        let smooth = try InputGradient.compute(network: network, image: image, target: .classScore(1),
                                               options: .init(smoothSamples: 5, smoothSigma: 0.3, seed: 4))
        let plain = try InputGradient.compute(network: network, image: image, target: .classScore(1))
        XCTAssertEqual(smooth.samples, 5)
        for index in plain.gradient.indices { XCTAssertEqual(smooth.gradient[index], plain.gradient[index], accuracy: 1e-5) }
        for index in plain.saliency.values.indices { XCTAssertEqual(smooth.saliency.values[index], plain.saliency.values[index], accuracy: 1e-5) }
    }

    /// Lecture 000, 1.15: forward input and incoming gradient of a ReLU, and what
    /// backpropagation, deconvnet and guided backpropagation pass back.
    func testReLURulesFollowTheLectureTruthTable() throws {
        let forwardInput: [Float] = [1, -1, 5, 2, -5, -7, -3, 2, 4]
        let incoming: [Float] = [-2, 3, -1, 6, -3, 1, 2, -1, 3]
        let expected: [ReLURule: [Float]] = [
            .standard: [-2, 0, -1, 6, 0, 0, 0, -1, 3],
            .deconvnet: [0, 3, 0, 6, 0, 1, 2, 0, 3],
            .guided: [0, 0, 0, 6, 0, 0, 0, 0, 3],
        ]
        // score = sum(incoming * relu(x)), so the gradient arriving at the ReLU is `incoming`.
        let weight = try Tensor(shape: [1, 9], data: incoming)
        let network = TechniqueToyNetwork(height: 3, width: 3, channels: 1, stages: [
            .init("relu", [1, 3, 3]) { $0.relu() },
            .init("logits", [1]) { try $0.flatten().linear(weight: weight, bias: nil) },
        ], classes: 1, scale: 20, offset: 0.5)
        let image = try network.image(forTensor: forwardInput)
        for (rule, values) in expected {
            let result = try InputGradient.compute(network: network, image: image, target: .classScore(0),
                                                   options: .init(rule: rule))
            // d tensor / d image = 20.
            XCTAssertEqual(result.gradient, values.map { 20 * $0 }, "\(rule)")
        }
    }

    /// From a unit: the seed is one-hot at the channel's largest activation.
    func testUnitTargetSeedsTheChannelArgmax() throws {
        // Channel 0 = x, channel 1 = -x (1 x 1 convolution); relu; pick channel 1.
        let weight = try Tensor(shape: [2, 1, 1, 1], data: [1, -1])
        let network = TechniqueToyNetwork(height: 2, width: 3, channels: 1, stages: [
            .init("conv", [2, 2, 3]) { try $0.conv2d(weight: weight, bias: nil).relu() },
            .init("logits", [2]) { try $0.globalAvgPool().flatten() },
        ], classes: 2, scale: 10, offset: 0.5)
        let image = try network.image(forTensor: [3, -1, 2, -4, 0, 1])
        for rule in ReLURule.allCases {
            let result = try InputGradient.compute(network: network, image: image, target: .unit(layer: "conv", channel: 1),
                                                   options: .init(rule: rule))
            XCTAssertEqual(result.unit, UnitLocation(layer: "conv", channel: 1, y: 1, x: 0, value: 4))
            // The ReLU gets the positive seed at an open unit (-x = 4 > 0), so every rule passes
            // it; the 1 x 1 convolution's weight -1 and the scale 10 make it -10 at that pixel.
            XCTAssertEqual(result.gradient, [0, 0, 0, -10, 0, 0], "\(rule)")
        }
        XCTAssertThrowsError(try InputGradient.compute(network: network, image: image,
                                                       target: .unit(layer: "conv", channel: 2))) { error in
            XCTAssertTrue("\(error)".contains("channel 2 is outside 0..<2"), "\(error)")
        }
        XCTAssertThrowsError(try InputGradient.compute(network: network, image: image,
                                                       target: .unit(layer: "conv9", channel: 0))) { error in
            XCTAssertTrue("\(error)".contains("no layer 'conv9'"), "\(error)")
        }
    }
}
