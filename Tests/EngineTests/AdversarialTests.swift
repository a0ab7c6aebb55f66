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
        let p = Self.softmax(logits)
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

    /// The step's gradient of log p(target) with respect to the image, by autodiff through
    /// log-softmax, equals central finite differences of log p(target) computed here in Double
    /// from the network's logits, pixel by pixel, on a small smooth network
    /// (conv 3x3 -> sigmoid -> linear; BGR-reversed, scaled input like SqueezeNet's).
    func testLogProbabilityGradientMatchesCentralFiniteDifferences() throws {
        let (hidden, inputs) = (4, channels * height * width)
        let kernel = try Tensor(shape: [hidden, channels, 3, 3], data: techniqueRandomValues(hidden * channels * 9, seed: 45))
        let weight = try Tensor(shape: [classes, hidden * height * width],
                                data: techniqueRandomValues(classes * hidden * height * width, seed: 46).map { 2 * $0 })
        let network = TechniqueToyNetwork(height: height, width: width, channels: channels, stages: [
            .init("conv", [hidden, height, width]) { try $0.conv2d(weight: kernel, bias: nil, padding: .symmetric(1)).sigmoid() },
            .init("logits", [classes]) { try $0.flatten().linear(weight: weight, bias: nil) },
        ], classes: classes, scale: 2, offset: 0.5, reverseChannels: true)
        let image = try Image(width: width, height: height, channels: 3,
                              pixels: techniqueRandomValues(inputs, seed: 47).map { 0.5 + 0.2 * $0 })
        let target = 1

        func logProbability(_ pixels: [Float]) throws -> Double {
            let input = try network.preprocess(try Image(width: width, height: height, channels: 3, pixels: pixels))
            let logits = try network.forward(input, capture: [], until: nil).output.data.map(Double.init)
            let largest = logits.max() ?? 0
            return logits[target] - largest - Foundation.log(logits.reduce(0) { $0 + Foundation.exp($1 - largest) })
        }
        let (prediction, gradient) = try AdversarialExample.step(network: network, space: try InputSpace(network: network),
                                                                 pixels: image.pixels, like: image, target: target)
        XCTAssertEqual(Double(Foundation.log(prediction.targetProbability)), try logProbability(image.pixels), accuracy: 1e-5)
        XCTAssertEqual(gradient.count, inputs)
        let epsilon: Float = 1e-2
        var largestError = 0.0
        for index in 0..<inputs {
            var plus = image.pixels, minus = image.pixels
            plus[index] += epsilon
            minus[index] -= epsilon
            let numeric = (try logProbability(plus) - logProbability(minus)) / Double(2 * epsilon)
            largestError = Swift.max(largestError, Swift.abs(Double(gradient[index]) - numeric))
            XCTAssertEqual(Double(gradient[index]), numeric, accuracy: 2e-3 + 0.01 * Swift.abs(numeric), "pixel value \(index)")
        }
        // The gradient is not trivially small: the check compares numbers that matter.
        XCTAssertGreaterThan(gradient.map { Swift.abs($0) }.max() ?? 0, 0.05)
        print("adversarial log p gradient vs central differences: largest error \(largestError)")
    }

    /// Softmax in Double, independent of the engine's.
    private static func softmax(_ values: [Float]) -> [Float] {
        let largest = values.max() ?? 0
        let exponentials = values.map { Foundation.exp(Double($0 - largest)) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { Float($0 / total) }
    }
}
