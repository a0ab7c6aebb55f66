import XCTest
@testable import Engine

/// Central finite differences (`GradientCheck`) for every layer and loss used in training.
final class TrainingGradientTests: XCTestCase {
    func testDropoutWithFixedMask() throws {
        var random = SeededRandom(seed: 3)
        let mask = try Tensor.dropoutMask(count: 12, probability: 0.5, random: &random)
        XCTAssertTrue(mask.allSatisfy { $0 == 0 || $0 == 2 })
        XCTAssertTrue(mask.contains(0) && mask.contains(2))
        let x = try GradientCheck.random([3, 4], seed: 1)
        try GradientCheck.assertMatches([x]) { t in try t[0].masked(by: mask) }
    }

    func testDropoutMaskKeepsAboutOneMinusP() throws {
        var random = SeededRandom(seed: 4)
        let mask = try Tensor.dropoutMask(count: 100_000, probability: 0.25, random: &random)
        let kept = mask.filter { $0 > 0 }.count
        XCTAssertEqual(Double(kept) / 100_000, 0.75, accuracy: 0.01)
        XCTAssertEqual(mask.first { $0 > 0 } ?? 0, 1 / 0.75, accuracy: 1e-6)
        // The mean is preserved in expectation: inverted dropout.
        XCTAssertEqual(mask.reduce(0, +) / 100_000, 1, accuracy: 0.02)
    }

    func testBatchNormTrainingMode() throws {
        let x = try GradientCheck.random([4, 3, 2, 2], seed: 5)
        let gamma = try GradientCheck.random([3], seed: 6), beta = try GradientCheck.random([3], seed: 7)
        let mean = try Tensor(zeros: [3]), variance = try Tensor(shape: [3], repeating: 1)
        try GradientCheck.assertMatches([x, gamma, beta], epsilon: 1e-3, absoluteTolerance: 5e-3) { t in
            try t[0].batchNormTraining(gamma: t[1], beta: t[2], eps: 1e-5, runningMean: mean, runningVariance: variance, momentum: 0.1)
        }
    }

    func testSoftmaxCrossEntropy() throws {
        let logits = try GradientCheck.random([4, 5], seed: 8, scale: 2)
        let labels = [0, 3, 4, 1]
        try GradientCheck.assertMatches([logits], epsilon: 1e-3, absoluteTolerance: 1e-3) { t in
            try t[0].softmaxCrossEntropy(labels: labels).loss
        }
        // Hand value: logits [0, 0] label 0 gives log 2; huge logits stay finite.
        let two = try Tensor(shape: [1, 2], data: [0, 0])
        XCTAssertEqual(try two.softmaxCrossEntropy(labels: [0]).loss.scalar, Float(log(2.0)), accuracy: 1e-6)
        let large = try Tensor(shape: [1, 2], data: [1000, 0])
        XCTAssertEqual(try large.softmaxCrossEntropy(labels: [1]).loss.scalar, 1000, accuracy: 1e-3)
        XCTAssertEqual(try large.softmaxCrossEntropy(labels: [0]).loss.scalar, 0, accuracy: 1e-6)
        // Same as the engine's composed logSoftmax cross-entropy.
        let composed = try logits.detached().crossEntropy(labels: labels).scalar
        XCTAssertEqual(try logits.detached().softmaxCrossEntropy(labels: labels).loss.scalar, composed, accuracy: 1e-5)
    }

    func testMeanSquaredError() throws {
        let x = try GradientCheck.random([3, 2], seed: 9)
        let target: [Float] = [0.5, -1, 2, 0, 1, -0.25]
        try GradientCheck.assertMatches([x], epsilon: 1e-3, absoluteTolerance: 1e-3) { t in try t[0].meanSquaredError(target: target) }
        let y = try Tensor(shape: [2], data: [1, 3])
        // ((1-0)² + (3-1)²) / 2 = 2.5
        XCTAssertEqual(try y.meanSquaredError(target: [0, 1]).scalar, 2.5)
    }

    /// The parameter gradients of a small spec'd convnet with batch norm, through the training
    /// forward pass, against finite differences of the loss.
    func testSmallConvNetParameterGradients() throws {
        var random = SeededRandom(seed: 10)
        let spec = try ConvNetSpec("conv 3x3 2, batchnorm, tanh, pool 2, fc 4 sigmoid, fc 3 softmax")
        let network = try TrainableNetwork(spec: spec, input: [1, 6, 6], random: &random)
        let x = try GradientCheck.random([3, 1, 6, 6], seed: 11)
        let labels = [2, 0, 1]
        let parameters = network.trainableParameters.map(\.tensor)
        try GradientCheck.assertMatches(parameters, epsilon: 1e-3, absoluteTolerance: 2e-3, relativeTolerance: 2e-2) { _ in
            var noDropout = SeededRandom(seed: 0)
            return try network.trainingForward(x, random: &noDropout).softmaxCrossEntropy(labels: labels).loss
        }
    }

    func testSoftmaxLabelOutsideClassesThrows() throws {
        let logits = try Tensor(zeros: [2, 3])
        XCTAssertThrowsError(try logits.softmaxCrossEntropy(labels: [0, 3]))
        XCTAssertThrowsError(try logits.softmaxCrossEntropy(labels: [0]))
    }
}
