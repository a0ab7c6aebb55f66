import XCTest
@testable import Engine

/// The first two steps of each optimizer on two parameters w = [1, −2] with the gradient of
/// L = ½ (a w₀² + b w₁²) for a = 1, b = 4: g = [w₀, 4 w₁], worked out by hand.
final class TrainingOptimizerTests: XCTestCase {
    /// Runs two steps and returns w after each.
    private func twoSteps(_ settings: OptimizerSettings) throws -> ([Float], [Float], Optimizer) {
        let w = try Tensor(shape: [2], data: [1, -2])
        var optimizer = Optimizer(settings: settings, counts: [2])
        var after: [[Float]] = []
        for _ in 0..<2 {
            w.grad = [w.data[0], 4 * w.data[1]]
            try optimizer.step([w], decays: [true])
            after.append(w.data)
        }
        return (after[0], after[1], optimizer)
    }

    func testSGD() throws {
        let (one, two, _) = try twoSteps(try OptimizerSettings(kind: .sgd, rate: 0.1))
        // g = [1, -8]: w = [0.9, -1.2]; g = [0.9, -4.8]: w = [0.81, -0.72].
        assertClose(one, [0.9, -1.2]); assertClose(two, [0.81, -0.72])
    }

    func testSGDWithDecay() throws {
        let (one, _, _) = try twoSteps(try OptimizerSettings(kind: .sgd, rate: 0.1, decay: 0.5))
        // g + 0.5 w = [1.5, -9]: w = [0.85, -1.1].
        assertClose(one, [0.85, -1.1])
    }

    func testMomentum() throws {
        let (one, two, _) = try twoSteps(try OptimizerSettings(kind: .momentum, rate: 0.1, momentum: 0.9))
        // v = -0.1 g = [-0.1, 0.8]: w = [0.9, -1.2]; g = [0.9, -4.8], v = 0.9 v - 0.1 g = [-0.18, 1.2]: w = [0.72, 0].
        assertClose(one, [0.9, -1.2]); assertClose(two, [0.72, 0], tolerance: 1e-5)
    }

    func testAdagradAccumulator() throws {
        let (one, two, optimizer) = try twoSteps(try OptimizerSettings(kind: .adagrad, rate: 0.1))
        // G = g² = [1, 64]; step = 0.1 g / √G = 0.1 sign(g): w = [0.9, -1.9].
        assertClose(one, [0.9, -1.9])
        // g = [0.9, -7.6]; G = [1.81, 121.76]; w = 0.9 - 0.09/√1.81, -1.9 + 0.76/√121.76.
        let root0 = Float(1.81).squareRoot(), root1 = Float(121.76).squareRoot()
        let expected: [Float] = [0.9 - 0.09 / root0, -1.9 + 0.76 / root1]
        assertClose(two, expected)
        assertClose(optimizer.first[0], [1.81, 121.76], tolerance: 1e-5)
    }

    func testAdadeltaAccumulators() throws {
        let (one, two, optimizer) = try twoSteps(try OptimizerSettings(kind: .adadelta, rate: 1))
        let (rho, eps) = (0.95, 1e-6)
        // Step 1: E[g²] = 0.05 g²; Δ = -√eps / √(E[g²] + eps) g; E[Δ²] = 0.05 Δ².
        var w = [1.0, -2.0], eg = [0.0, 0.0], ed = [0.0, 0.0]
        var expected: [[Double]] = []
        for _ in 0..<2 {
            let g = [w[0], 4 * w[1]]
            for i in 0..<2 {
                eg[i] = rho * eg[i] + (1 - rho) * g[i] * g[i]
                let delta = -((ed[i] + eps).squareRoot() / (eg[i] + eps).squareRoot()) * g[i]
                ed[i] = rho * ed[i] + (1 - rho) * delta * delta
                w[i] += delta
            }
            expected.append(w)
        }
        // By hand for w₀: E[g²] = 0.05, Δ = -√1e-6 / √0.050001 ≈ -0.0044721.
        XCTAssertEqual(Double(one[0]), 1 - 1e-3 / 0.050001.squareRoot(), accuracy: 1e-6)
        assertClose(one, expected[0].map(Float.init), tolerance: 1e-6)
        assertClose(two, expected[1].map(Float.init), tolerance: 1e-6)
        assertClose(optimizer.first[0], eg.map(Float.init), tolerance: 1e-5)
        assertClose(optimizer.second[0], ed.map(Float.init), tolerance: 1e-4)
    }

    func testAdamFirstStepIsRateTimesSign() throws {
        let (one, two, _) = try twoSteps(try OptimizerSettings(kind: .adam, rate: 0.01))
        assertClose(one, [0.99, -1.99], tolerance: 1e-6)
        // Step 2: g = [0.99, -7.96]; m = 0.9·0.1 g₁ + 0.1 g₂; v = 0.999·0.001 g₁² + 0.001 g₂².
        func second(_ g1: Double, _ g2: Double, _ w: Double) -> Double {
            let m = (0.9 * 0.1 * g1 + 0.1 * g2) / (1 - 0.81)
            let v = (0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2) / (1 - 0.998001)
            return w - 0.01 * m / (v.squareRoot() + 1e-8)
        }
        assertClose(two, [Float(second(1, 0.99, 0.99)), Float(second(-8, -7.96, -1.99))], tolerance: 1e-6)
    }

    func testBadSettingsThrow() {
        XCTAssertThrowsError(try OptimizerSettings(kind: .sgd, rate: 0))
        XCTAssertThrowsError(try OptimizerSettings(kind: .momentum, rate: 0.1, momentum: 1))
        XCTAssertThrowsError(try OptimizerSettings(kind: .sgd, rate: 0.1, decay: -1))
    }
}
