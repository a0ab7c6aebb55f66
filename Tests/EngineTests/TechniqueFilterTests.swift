import XCTest
@testable import Engine

final class TechniqueFilterTests: XCTestCase {
    /// conv1 (1 -> 2, 3x3, no padding) + relu, then conv2 (2 -> 3, 3x3, padding 1) + relu.
    private func network() throws -> (TechniqueToyNetwork, Tensor, Tensor) {
        let first = try Tensor(shape: [2, 1, 3, 3], data: techniqueRandomValues(18, seed: 41))
        let second = try Tensor(shape: [3, 2, 3, 3], data: techniqueRandomValues(54, seed: 42))
        let bias = try Tensor(shape: [3], data: [-5, -5, -5])  // every unit closed: the rule must not care
        let network = TechniqueToyNetwork(height: 7, width: 7, channels: 1, stages: [
            .init(name: "conv1", kind: "conv 3x3 + relu", outputShape: [2, 5, 5], receptiveField: 3, jump: 1, start: 1) {
                try $0.conv2d(weight: first, bias: nil).relu()
            },
            .init(name: "conv2", kind: "conv 3x3 + relu", outputShape: [3, 5, 5], receptiveField: 5, jump: 1, start: 1) {
                try $0.conv2d(weight: second, bias: bias, padding: .symmetric(1)).relu()
            },
            .init(name: "pool", kind: "global avg pool", outputShape: [3], receptiveField: 7, jump: 1, start: 3) {
                try $0.globalAvgPool().flatten()
            },
        ], classes: 3, scale: 3, offset: 0.5)
        return (network, first, second)
    }

    func testDeeperFiltersAreTheConvolutionWeights() throws {
        let (network, _, second) = try network()
        let result = try FilterVisualization.compute(network: network, layer: "conv2")
        XCTAssertEqual(result.mode, .gray)
        XCTAssertEqual(result.kernel, 3)
        XCTAssertEqual(result.inputChannels, 2)
        XCTAssertFalse(result.imageSpace)
        XCTAssertEqual(result.weights, second.data)
        XCTAssertGreaterThan(result.render().width, 0)
    }

    func testFirstLayerFiltersAreInImageUnits() throws {
        let (network, first, _) = try network()
        let result = try FilterVisualization.compute(network: network, layer: "conv1", maxFilters: 1)
        XCTAssertEqual(result.filterCount, 1)
        XCTAssertTrue(result.imageSpace)
        // d tensor / d image = 3.
        for index in 0..<9 { XCTAssertEqual(result.weights[index], 3 * first.data[index], accuracy: 1e-6) }
        XCTAssertThrowsError(try FilterVisualization.compute(network: network, layer: "conv1", mode: .rgb)) { error in
            XCTAssertTrue("\(error)".contains("rgb mode"), "\(error)")
        }
        XCTAssertThrowsError(try FilterVisualization.compute(network: network, layer: "pool")) { error in
            XCTAssertTrue("\(error)".contains("not a single convolution"), "\(error)")
        }
    }
}
