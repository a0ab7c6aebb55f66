import XCTest
@testable import Engine

/// End-to-end checks of the autodiff through whole networks (SqueezeNet and EfficientNet-Lite as
/// the engine builds them, with random weights): every op of a real architecture chained,
/// including ceil-mode pools, concat, depthwise SAME convolutions, folded batch norms and
/// residual adds.
final class AutodiffNetworkTests: XCTestCase {
    func testSqueezeNetInputGradientMatchesFiniteDifferences() throws {
        try checkInputGradient(try RandomNetworkWeights.squeezeNet(seed: 3), size: 51)
    }

    func testEfficientNetInputGradientMatchesFiniteDifferences() throws {
        try checkInputGradient(try RandomNetworkWeights.efficientNetLite0(seed: 3), size: 40)
    }

    private func checkInputGradient(_ network: Network, size: Int,
                                    file: StaticString = #filePath, line: UInt = #line) throws {
        func forward(_ input: Tensor) throws -> Tensor { try network.forward(input, capture: [], until: nil).output }
        var generator = SeededRandom(seed: 4)
        let image = try Tensor.randomUniform(shape: [1, 3, size, size], low: -1, high: 1, using: &generator,
                                             requiresGrad: true)
        let logits = try forward(image)
        XCTAssertEqual(logits.shape, [1, 1000], file: file, line: line)
        // The loss is a fixed random mix of all logits, so every path matters.
        let projection = (0..<1000).map { _ in generator.uniform(-1, 1) }
        try logits.backward(seed: projection)
        let gradient = try XCTUnwrap(image.grad, file: file, line: line)
        XCTAssertTrue(gradient.contains { $0 != 0 }, file: file, line: line)

        func loss() throws -> Double {
            let output = try forward(image)
            return zip(output.data, projection).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        // The pixels with the largest gradients: their finite differences stand well above
        // Float32 noise, and ReLU kinks crossed by a 1e-3 nudge are rare.
        let largest = gradient.indices.sorted { Swift.abs(gradient[$0]) > Swift.abs(gradient[$1]) }.prefix(4)
        let epsilon: Float = 1e-3
        for index in largest {
            let original = image.data[index]
            image.data[index] = original + epsilon
            let plus = try loss()
            image.data[index] = original - epsilon
            let minus = try loss()
            image.data[index] = original
            let numeric = (plus - minus) / (2 * Double(epsilon))
            XCTAssertEqual(Double(gradient[index]), numeric, accuracy: 0.03 * Swift.abs(numeric) + 1e-3,
                           "pixel \(index)", file: file, line: line)
        }
    }
}
