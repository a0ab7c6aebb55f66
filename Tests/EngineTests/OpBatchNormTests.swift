import XCTest
@testable import Engine

final class OpBatchNormTests: XCTestCase {
    func testInferenceForward() throws {
        let x = try Tensor(shape: [1, 2, 1, 2], data: [1, 3, 10, 20])
        let mean = try Tensor(shape: [2], data: [2, 10])
        let variance = try Tensor(shape: [2], data: [4, 25])
        let gamma = try Tensor(shape: [2], data: [1, 2])
        let beta = try Tensor(shape: [2], data: [0, 1])
        let y = try x.batchNorm(mean: mean, variance: variance, gamma: gamma, beta: beta, eps: 0)
        // (1-2)/2 = -0.5, (3-2)/2 = 0.5; (10-10)/5·2+1 = 1, (20-10)/5·2+1 = 5.
        assertClose(y.data, [-0.5, 0.5, 1, 5])
    }

    func testTrainingNormalizesAndUpdatesRunningStatistics() throws {
        // Channel 0 values 1, 3, 5, 7: mean 4, biased variance 5, unbiased 20/3.
        let x = try Tensor(shape: [2, 1, 1, 2], data: [1, 3, 5, 7])
        let runningMean = try Tensor(shape: [1], data: [0])
        let runningVariance = try Tensor(shape: [1], data: [1])
        let y = try x.batchNormTraining(gamma: nil, beta: nil, eps: 0, runningMean: runningMean,
                                        runningVariance: runningVariance, momentum: 0.1)
        let s = Float(5).squareRoot()
        assertClose(y.data, [-3 / s, -1 / s, 1 / s, 3 / s])
        XCTAssertEqual(runningMean.data[0], 0.4, accuracy: 1e-6)
        XCTAssertEqual(runningVariance.data[0], 0.9 + 0.1 * 20 / 3, accuracy: 1e-6)
    }

    func testInferenceGradients() throws {
        let x = try GradientCheck.random([2, 3, 2, 2], seed: 20)
        let mean = try GradientCheck.random([3], seed: 21)
        let variance = try Tensor(shape: [3], data: [0.5, 1, 2])
        let gamma = try GradientCheck.random([3], seed: 22)
        let beta = try GradientCheck.random([3], seed: 23)
        try GradientCheck.assertMatches([x, mean, variance, gamma, beta], epsilon: 1e-3, absoluteTolerance: 5e-3) { t in
            try t[0].batchNorm(mean: t[1], variance: t[2], gamma: t[3], beta: t[4], eps: 1e-3)
        }
    }

    func testTrainingGradients() throws {
        let x = try GradientCheck.random([3, 2, 2, 2], seed: 24)
        let gamma = try GradientCheck.random([2], seed: 25)
        let beta = try GradientCheck.random([2], seed: 26)
        let runningMean = try Tensor(zeros: [2]), runningVariance = try Tensor(zeros: [2])
        try GradientCheck.assertMatches([x, gamma, beta], epsilon: 1e-3, absoluteTolerance: 5e-3) { t in
            try t[0].batchNormTraining(gamma: t[1], beta: t[2], eps: 1e-5, runningMean: runningMean,
                                       runningVariance: runningVariance, momentum: 0.1)
        }
        // Also for [N, C] inputs (batch norm after a linear layer).
        let flat = try GradientCheck.random([5, 3], seed: 27)
        let mean3 = try Tensor(zeros: [3]), variance3 = try Tensor(zeros: [3])
        try GradientCheck.assertMatches([flat], epsilon: 1e-3, absoluteTolerance: 5e-3) { t in
            try t[0].batchNormTraining(gamma: nil, beta: nil, eps: 1e-5, runningMean: mean3,
                                       runningVariance: variance3, momentum: 0.1)
        }
    }

    func testMismatchedParametersThrow() throws {
        let x = try Tensor(zeros: [1, 3, 2, 2])
        let two = try Tensor(zeros: [2])
        XCTAssertThrowsError(try x.batchNorm(mean: two, variance: two, gamma: nil, beta: nil, eps: 1e-5))
    }
}
