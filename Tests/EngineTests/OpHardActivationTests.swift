import XCTest
@testable import Engine

/// HardSigmoid and HardSwish (MobileNetV3; ONNX HardSigmoid, HardSwish): values against the
/// formulas evaluated here, and gradients against central finite differences away from kinks.
final class OpHardActivationTests: XCTestCase {
    /// Values at least 0.1 from the kinks of both (±2.5 for hardSigmoid's defaults, ±3 for
    /// hardSwish), so a ±0.01 nudge never crosses one.
    private let points: [Float] = [-7, -3.5, -2.6, -2.4, -1, -0.3, 0.4, 1.7, 2.4, 2.6, 2.9, 3.1, 5]

    func testValues() throws {
        let x = try Tensor(shape: [points.count], data: points)
        let sigmoid = x.hardSigmoid().data
        let pytorchSigmoid = x.hardSigmoid(alpha: 1.0 / 6, beta: 0.5).data
        let swish = x.hardSwish().data
        for (index, value) in points.enumerated() {
            XCTAssertEqual(sigmoid[index], min(max(0.2 * value + 0.5, 0), 1), accuracy: 1e-6)
            XCTAssertEqual(pytorchSigmoid[index], min(max(value / 6 + 0.5, 0), 1), accuracy: 1e-6)
            XCTAssertEqual(swish[index], value * min(max(value + 3, 0), 6) / 6, accuracy: 1e-6)
        }
        // Spot values: hardswish(1) = 1 * 4 / 6, hardswish(-1) = -1 * 2 / 6.
        let spot = try Tensor(shape: [2], data: [1, -1]).hardSwish().data
        XCTAssertEqual(spot[0], 4.0 / 6, accuracy: 1e-6)
        XCTAssertEqual(spot[1], -2.0 / 6, accuracy: 1e-6)
    }

    func testGradientsMatchFiniteDifferences() throws {
        let x = try Tensor(shape: [points.count], data: points)
        try GradientCheck.assertMatches([x]) { $0[0].hardSigmoid() }
        try GradientCheck.assertMatches([x]) { $0[0].hardSigmoid(alpha: 1.0 / 6, beta: 0.5) }
        try GradientCheck.assertMatches([x]) { $0[0].hardSwish() }
    }
}
