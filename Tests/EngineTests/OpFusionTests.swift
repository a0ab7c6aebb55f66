import XCTest
@testable import Engine

final class OpFusionTests: XCTestCase {
    /// conv(activation: .relu) equals conv().relu() in value and, under every rule, in gradient.
    func testFusedActivationMatchesSeparateOps() throws {
        for activation in [FusedActivation.relu, .relu6] {
            for rule in ReLURule.allCases {
                let input = try GradientCheck.random([1, 3, 6, 7], seed: 90, scale: 3)
                let weight = try GradientCheck.random([4, 3, 3, 3], seed: 91)
                let bias = try GradientCheck.random([4], seed: 92)
                let twin = try Tensor(shape: input.shape, data: input.data, requiresGrad: true)
                input.requiresGrad = true
                let fused = try input.conv2d(weight: weight, bias: bias, padding: .symmetric(1), activation: activation)
                let plain = try twin.conv2d(weight: weight, bias: bias, padding: .symmetric(1))
                let separate = activation == .relu ? plain.relu() : plain.relu6()
                assertClose(fused.data, separate.data)
                XCTAssertTrue(fused.data.contains(0), "some outputs are clipped at 0")
                var generator = SeededRandom(seed: 93)
                let seed = (0..<fused.count).map { _ in generator.uniform(-1, 1) }
                try fused.backward(seed: seed, rule: rule)
                try separate.backward(seed: seed, rule: rule)
                assertClose(input.grad ?? [], twin.grad ?? [], tolerance: 1e-5)
            }
        }
    }

    func testFusedGradientAgainstFiniteDifferences() throws {
        let input = try GradientCheck.random([1, 2, 5, 5], seed: 94)
        let weight = try GradientCheck.random([3, 2, 3, 3], seed: 95)
        try GradientCheck.assertMatches([input, weight], absoluteTolerance: 5e-3) {
            try $0[0].conv2d(weight: $0[1], bias: nil, padding: .symmetric(1), activation: .relu)
        }
    }

    /// A folded conv equals conv followed by batch norm.
    func testBatchNormFolding() throws {
        let input = try GradientCheck.random([2, 3, 5, 5], seed: 96)
        let weight = try GradientCheck.random([4, 3, 3, 3], seed: 97)
        let bias = try GradientCheck.random([4], seed: 98)
        let mean = try GradientCheck.random([4], seed: 99)
        let variance = try Tensor(shape: [4], data: [0.5, 1, 2, 4])
        let gamma = try GradientCheck.random([4], seed: 100)
        let beta = try GradientCheck.random([4], seed: 101)
        let reference = try input.conv2d(weight: weight, bias: bias, padding: .same)
            .batchNorm(mean: mean, variance: variance, gamma: gamma, beta: beta, eps: 1e-3)
        let folded = try BatchNormFolding.fold(weight: weight, bias: bias, mean: mean, variance: variance,
                                               gamma: gamma, beta: beta, eps: 1e-3)
        let result = try input.conv2d(weight: folded.weight, bias: folded.bias, padding: .same)
        assertClose(result.data, reference.data, tolerance: 1e-5)
    }
}
