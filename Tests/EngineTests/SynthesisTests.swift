import XCTest
@testable import Engine

final class SynthesisTests: XCTestCase {
    /// logits = W x on an input that reads BGR as 2 * (image - 0.5). The image-space gradient of
    /// class k is the constant g = 2 W_k (channels reversed), so with decay d and rate r each step is
    /// z <- (z + r g / mean|g|) (1 - d), whose fixed point is z* = r (1 - d) / d * g / mean|g|.
    func testL2AscentOnALinearModelReachesTheHandComputedFixedPoint() throws {
        let (channels, height, width, classes) = (3, 4, 5, 2)
        let inputs = channels * height * width
        let weight = try Tensor(shape: [classes, inputs], data: techniqueRandomValues(classes * inputs, seed: 21))
        let network = TechniqueToyNetwork(height: height, width: width, channels: channels, stages: [
            .init("logits", [classes]) { try $0.flatten().linear(weight: weight, bias: nil) },
        ], classes: classes, scale: 2, offset: 0.5, reverseChannels: true)
        let (rate, decay): (Float, Float) = (0.001, 0.1)
        var options = ClassVisualization.Options(steps: 300, rate: rate,
                                                 regularizer: ImageRegularizer(name: "l2", decay: decay), seed: 1)
        options.startNoise = 0
        let result = try ClassVisualization.run(network: network, objective: .classScore(1), options: options)

        var gradient = [Float](repeating: 0, count: inputs)
        for y in 0..<height {
            for x in 0..<width {
                for imageChannel in 0..<3 {
                    let tensorChannel = 2 - imageChannel
                    gradient[(y * width + x) * 3 + imageChannel] = 2 * weight.data[inputs + (tensorChannel * height + y) * width + x]
                }
            }
        }
        let meanMagnitude = gradient.reduce(0) { $0 + abs($1) } / Float(inputs)
        for index in 0..<inputs {
            let expected = 0.5 + rate * (1 - decay) / decay * gradient[index] / meanMagnitude
            XCTAssertEqual(result.image.pixels[index], expected, accuracy: 1e-5, "pixel value \(index)")
        }
        XCTAssertGreaterThan(result.finalScore, result.startScore)
        XCTAssertEqual(result.scores.count, 301)
    }

    /// The channel objective is the channel's spatial mean: its gradient matches central
    /// differences of that mean through a ReLU convolution.
    func testChannelObjectiveGradientMatchesFiniteDifferences() throws {
        let weight = try Tensor(shape: [2, 3, 3, 3], data: techniqueRandomValues(54, seed: 5))
        let network = TechniqueToyNetwork(height: 6, width: 6, channels: 3, stages: [
            .init("conv", [2, 6, 6]) { try $0.conv2d(weight: weight, bias: nil, stride: 1, padding: .symmetric(1)).relu() },
        ], classes: 0)
        let objective = SynthesisObjective.channel(layer: "conv", channel: 1)
        let values = techniqueRandomValues(108, seed: 6)
        let input = try Tensor(shape: [1, 3, 6, 6], data: values)
        let value = try objective.backpropagate(network: network, input: input)
        let gradient = try XCTUnwrap(input.grad)
        func objectiveAt(_ data: [Float]) throws -> Float {
            try objective.backpropagate(network: network, input: try Tensor(shape: [1, 3, 6, 6], data: data))
        }
        XCTAssertEqual(value, try objectiveAt(values), accuracy: 1e-6)
        let step: Float = 1e-2
        for index in stride(from: 0, to: 108, by: 7) {
            var plus = values, minus = values
            plus[index] += step
            minus[index] -= step
            let numeric = (try objectiveAt(plus) - objectiveAt(minus)) / (2 * step)
            XCTAssertEqual(gradient[index], numeric, accuracy: 2e-3, "input \(index)")
        }
    }

    func testGaussianBlurKeepsConstantsAndSpreadsAnImpulseByTheGaussian() {
        var constant = [Float](repeating: 0.25, count: 5 * 7 * 3)
        ImagePrior.gaussianBlur(&constant, height: 5, width: 7, channels: 3, sigma: 1)
        for value in constant { XCTAssertEqual(value, 0.25, accuracy: 1e-6) }

        var impulse = [Float](repeating: 0, count: 9 * 9)
        impulse[4 * 9 + 4] = 1
        ImagePrior.gaussianBlur(&impulse, height: 9, width: 9, channels: 1, sigma: 1)
        // Radius 3: weights exp(-k^2 / 2) / sum over k in -3...3, applied along rows then columns.
        let raw = (-3...3).map { Float(exp(-Double($0 * $0) / 2)) }
        let weights = raw.map { $0 / raw.reduce(0, +) }
        XCTAssertEqual(impulse[4 * 9 + 4], weights[3] * weights[3], accuracy: 1e-6)
        XCTAssertEqual(impulse[4 * 9 + 6], weights[3] * weights[5], accuracy: 1e-6)
        XCTAssertEqual(impulse[1 * 9 + 7], weights[0] * weights[6], accuracy: 1e-7)
        XCTAssertEqual(impulse[0], 0, "beyond the radius nothing arrives")
        XCTAssertEqual(impulse.reduce(0, +), 1, accuracy: 1e-5)
    }

    func testClippingZeroesThePixelsBelowThePercentileAndRollingIsUndone() {
        // Four RGB pixels with norms 5, 1, 3, 0: the 50th percentile (linear, like numpy) is 2.
        var values: [Float] = [3, 4, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0]
        let norms = ImagePrior.pixelNorms(values, channels: 3)
        XCTAssertEqual(norms, [5, 1, 3, 0])
        ImagePrior.zeroBelowPercentile(&values, scores: norms, channels: 3, percentile: 50)
        XCTAssertEqual(values, [3, 4, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0])
        XCTAssertEqual(ImagePrior.contributions([1, -2, 3, 1, 1, 1], gradient: [1, 1, 1, -1, 0, 0], channels: 3), [2, 1])

        let image = (0..<(3 * 4 * 2)).map(Float.init)
        let moved = ImagePrior.rolled(image, height: 3, width: 4, channels: 2, dy: 1, dx: -1)
        XCTAssertEqual(Array(moved[((1 * 4 + 3) * 2)..<((1 * 4 + 3) * 2 + 2)]), [0, 1], "pixel (0, 0) moves to (1, 3)")
        XCTAssertEqual(ImagePrior.rolled(moved, height: 3, width: 4, channels: 2, dy: -1, dx: 1), image)
    }

    func testTheSameSeedGivesTheSameImage() throws {
        let weight = try Tensor(shape: [2, 3, 3, 3], data: techniqueRandomValues(54, seed: 9))
        let network = TechniqueToyNetwork(height: 8, width: 8, channels: 3, stages: [
            .init("conv", [2, 8, 8]) { try $0.conv2d(weight: weight, bias: nil, stride: 1, padding: .symmetric(1)).relu() },
            .init("logits", [2]) { try $0.globalAvgPool().flatten() },
        ], classes: 2, offset: 0.5)
        func run(seed: UInt64) throws -> [Float] {
            try ClassVisualization.run(network: network, objective: .classScore(0),
                                       options: .init(steps: 12, regularizer: .l2PlusPlus, seed: seed)).image.pixels
        }
        XCTAssertEqual(try run(seed: 3), try run(seed: 3))
        XCTAssertNotEqual(try run(seed: 3), try run(seed: 4))
    }
}
