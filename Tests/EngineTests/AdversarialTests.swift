import XCTest
@testable import Engine

final class AdversarialTests: XCTestCase {
    private let (channels, height, width, classes) = (3, 4, 5, 3)

    private func linearNetwork(_ weight: Tensor) -> TechniqueToyNetwork {
        TechniqueToyNetwork(height: height, width: width, channels: channels, stages: [
            .init("logits", [classes]) { try $0.flatten().linear(weight: weight, bias: nil) },
        ], classes: classes, scale: 2, offset: 0.5, reverseChannels: true)
    }

    /// logits = W x with x = 2 (BGR - 0.5): d log p_t / d image = 2 (W_t - sum_k p_k W_k), channels
    /// reversed, so one step moves every pixel by exactly one step size along that sign.
    func testOneStepFollowsTheSignOfTheLogProbabilityGradient() throws {
        let inputs = channels * height * width
        let weight = try Tensor(shape: [classes, inputs], data: techniqueRandomValues(classes * inputs, seed: 41))
        let network = linearNetwork(weight)
        let image = try Image(width: width, height: height, channels: 3,
                              pixels: techniqueRandomValues(inputs, seed: 42).map { 0.5 + 0.2 * $0 })
        let x = try network.preprocess(image).data
        let logits = (0..<classes).map { k in (0..<inputs).reduce(Float(0)) { $0 + weight.data[k * inputs + $1] * x[$1] } }
        let top = logits.indices.max { logits[$0] < logits[$1] } ?? 0
        let target = (top + 1) % classes
        let p = AdversarialExample.softmax(logits)
        let step: Float = 0.01
        let result = try AdversarialExample.run(network: network, image: image, target: target,
                                                options: .init(epsilon: 0.5, stepSize: step, maxSteps: 1))
        XCTAssertEqual(result.steps, 1)
        XCTAssertEqual(result.before.top, top)
        XCTAssertEqual(result.before.targetProbability, p[target], accuracy: 1e-5)
        for y in 0..<height {
            for x in 0..<width {
                for imageChannel in 0..<3 {
                    let i = ((2 - imageChannel) * height + y) * width + x
                    let g = 2 * (weight.data[target * inputs + i] - (0..<classes).reduce(Float(0)) { $0 + p[$1] * weight.data[$1 * inputs + i] })
                    let pixel = (y * width + x) * 3 + imageChannel
                    XCTAssertEqual(result.adversarial.pixels[pixel] - image.pixels[pixel], g > 0 ? step : -step, accuracy: 1e-6)
                }
            }
        }
    }

    func testStopsWhenFooledAndNeverLeavesTheBudget() throws {
        let inputs = channels * height * width
        let weight = try Tensor(shape: [classes, inputs], data: techniqueRandomValues(classes * inputs, seed: 43))
        let network = linearNetwork(weight)
        let image = try Image(width: width, height: height, channels: 3, pixels: techniqueRandomValues(inputs, seed: 44).map { 0.5 + 0.3 * $0 })
        let start = try AdversarialExample.run(network: network, image: image, target: 0, options: .init(maxSteps: 1))
        let target = (start.before.top + 2) % classes
        let options = AdversarialExample.Options(epsilon: 0.2, stepSize: 0.01, maxSteps: 200)
        let result = try AdversarialExample.run(network: network, image: image, target: target, options: options)
        XCTAssertTrue(result.fooled)
        XCTAssertEqual(result.after.top, target)
        XCTAssertLessThanOrEqual(result.largestChange, 0.2 + 1e-6)
        XCTAssertTrue(result.adversarial.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        // One step fewer is not enough: it stopped at the first step that fooled the network.
        let shorter = try AdversarialExample.run(network: network, image: image, target: target,
                                                 options: .init(epsilon: 0.2, stepSize: 0.01, maxSteps: result.steps - 1))
        XCTAssertFalse(shorter.fooled)
    }
}
