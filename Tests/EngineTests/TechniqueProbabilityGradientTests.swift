import Foundation
import XCTest
@testable import Engine

/// The gradient of a class probability (lecture 000, 1.3 and 1.13), checked against the softmax
/// Jacobian worked by hand on a linear model and against central differences of the probability.
final class TechniqueProbabilityGradientTests: XCTestCase {
    private let (channels, height, width, classes) = (3, 3, 4, 4)

    private func linearNetwork(_ weight: Tensor) -> TechniqueToyNetwork {
        TechniqueToyNetwork(height: height, width: width, channels: channels, stages: [
            .init("logits", [classes]) { try $0.flatten().linear(weight: weight, bias: nil) },
        ], classes: classes, scale: 2, offset: 0.5, reverseChannels: true)
    }

    /// logits z = W x, so d p_c / d x = p_c (W_c - sum_j p_j W_j); in image space times 2 with
    /// the channels reversed (the toy network reads BGR scaled by 2).
    func testProbabilityGradientIsTheSoftmaxJacobianRowTimesTheScoreGradients() throws {
        let inputs = channels * height * width
        let weight = try Tensor(shape: [classes, inputs], data: techniqueRandomValues(classes * inputs, seed: 21))
        let network = linearNetwork(weight)
        let pixels = techniqueRandomValues(inputs, seed: 22).map { ($0 + 1) / 2 }
        let image = try Image(width: width, height: height, channels: 3, pixels: pixels)
        // The tensor the network sees: BGR, 2 * (pixel - 0.5) per the toy network's scale and offset.
        let tensor = try network.preprocess(image).data
        var logits = [Double](repeating: 0, count: classes)
        for k in 0..<classes {
            for i in 0..<inputs { logits[k] += Double(weight.data[k * inputs + i]) * Double(tensor[i]) }
        }
        let top = logits.max() ?? 0
        let exps = logits.map { exp($0 - top) }
        let p = exps.map { $0 / exps.reduce(0, +) }

        for classIndex in 0..<classes {
            let result = try InputGradient.compute(network: network, image: image, target: .classProbability(classIndex))
            XCTAssertEqual(result.classIndex, classIndex)
            XCTAssertTrue(result.targetDescription.hasPrefix("P(class \(classIndex)"), result.targetDescription)
            for y in 0..<height {
                for x in 0..<width {
                    for imageChannel in 0..<3 {
                        let i = ((2 - imageChannel) * height + y) * width + x
                        var mean = 0.0
                        for j in 0..<classes { mean += p[j] * Double(weight.data[j * inputs + i]) }
                        let expected = 2 * p[classIndex] * (Double(weight.data[classIndex * inputs + i]) - mean)
                        XCTAssertEqual(Double(result.gradient[(y * width + x) * 3 + imageChannel]), expected, accuracy: 1e-5)
                    }
                }
            }
        }
    }

    /// Through a ReLU network: each pixel's gradient matches (p(x + h) - p(x - h)) / 2h, and
    /// the probability's gradient is much smaller than the score's where p is small.
    func testProbabilityGradientMatchesCentralDifferences() throws {
        let hidden = 6
        let inputs = channels * height * width
        let first = try Tensor(shape: [hidden, inputs], data: techniqueRandomValues(hidden * inputs, seed: 31))
        let second = try Tensor(shape: [classes, hidden], data: techniqueRandomValues(classes * hidden, seed: 32).map { 3 * $0 })
        let network = TechniqueToyNetwork(height: height, width: width, channels: channels, stages: [
            .init("hidden", [hidden]) { try $0.flatten().linear(weight: first, bias: nil).relu() },
            .init("logits", [classes]) { try $0.linear(weight: second, bias: nil) },
        ], classes: classes, scale: 2, offset: 0.5, reverseChannels: true)
        let pixels = techniqueRandomValues(inputs, seed: 33).map { ($0 + 1) / 2 }

        func probabilities(_ pixels: [Float]) throws -> [Double] {
            let image = try Image(width: width, height: height, channels: 3, pixels: pixels)
            let logits = try network.forward(try network.preprocess(image), capture: [], until: nil).0.data
            let top = logits.max() ?? 0
            let exps = logits.map { exp(Double($0 - top)) }
            return exps.map { $0 / exps.reduce(0, +) }
        }
        let p = try probabilities(pixels)
        let image = try Image(width: width, height: height, channels: 3, pixels: pixels)
        let h: Float = 1e-3
        for classIndex in 0..<classes {
            let result = try InputGradient.compute(network: network, image: image, target: .classProbability(classIndex))
            let score = try InputGradient.compute(network: network, image: image, target: .classScore(classIndex))
            for index in 0..<inputs {
                var plus = pixels, minus = pixels
                plus[index] += h
                minus[index] -= h
                let numeric = (try probabilities(plus)[classIndex] - probabilities(minus)[classIndex]) / Double(2 * h)
                XCTAssertEqual(Double(result.gradient[index]), numeric, accuracy: 2e-3, "class \(classIndex) pixel \(index)")
            }
            // |d p / d x| <= p (|d z_c / d x| + max_j |d z_j / d x|), so a small p makes it small.
            let largest = result.gradient.map { abs($0) }.max() ?? 0
            if p[classIndex] < 0.05 {
                XCTAssertLessThan(Double(largest), 0.2 * Double(score.gradient.map { abs($0) }.max() ?? 0))
            }
        }
    }
}
