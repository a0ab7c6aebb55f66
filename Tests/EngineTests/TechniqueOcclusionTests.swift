import XCTest
@testable import Engine

final class TechniqueOcclusionTests: XCTestCase {
    /// logits = [sum(w * x), 0] on a 1-channel 4 x 4 input; window 2, stride 2 gives a 2 x 2 grid.
    /// With fill 0 in input space, P(class 0) at a position is sigmoid(score without that square).
    func testProbabilitiesMatchHandComputedSoftmax() throws {
        let weights: [Float] = [1, 2, 0, 0,
                                0, 1, 0, 0,
                                0, 0, -1, 0,
                                0, 0, 0, 3]
        let weight = try Tensor(shape: [2, 16], data: weights + [Float](repeating: 0, count: 16))
        let network = TechniqueToyNetwork(height: 4, width: 4, channels: 1, stages: [
            .init("logits", [2]) { try $0.flatten().linear(weight: weight, bias: nil) },
        ], classes: 2, scale: 1, offset: 0)
        let image = try Image(width: 4, height: 4, channels: 1, value: 0.5)
        let result = try Occlusion.compute(network: network, image: image, classIndex: 0,
                                           options: .init(window: 2, stride: 2, fill: .zero, batchSize: 3))
        func sigmoid(_ z: Float) -> Float { 1 / (1 + exp(-z)) }
        // Full score 0.5 * (1 + 2 + 1 - 1 + 3) = 3; the squares hold 0.5*4, 0, 0, 0.5*2 of it.
        XCTAssertEqual(result.baseline, sigmoid(3), accuracy: 1e-6)
        XCTAssertEqual(result.probabilities.values[0], sigmoid(1), accuracy: 1e-6)
        XCTAssertEqual(result.probabilities.values[1], sigmoid(3), accuracy: 1e-6)
        XCTAssertEqual(result.probabilities.values[2], sigmoid(3), accuracy: 1e-6)
        XCTAssertEqual(result.probabilities.values[3], sigmoid(2), accuracy: 1e-6)
        // 4 positions in batches of 3: two forward calls plus the clean one.
        XCTAssertEqual(network.forwardCalls, 3)
        XCTAssertEqual(network.itemsSeen, 5)
        // Each pixel lies under exactly one square here.
        XCTAssertEqual(result.pixelMap[0, 0], result.probabilities.values[0])
        XCTAssertEqual(result.pixelMap[3, 3], result.probabilities.values[3])
    }

    func testMeanFillUsesTheImagesChannelMeanAndGridCountIsRight() throws {
        // 227 x 227, window 32, stride 8: 25 x 25 = 625 positions, as in the benchmark.
        let plan = try OcclusionPlan(height: 227, width: 227, options: .init())
        XCTAssertEqual(plan.rows, 25)
        XCTAssertEqual(plan.columns, 25)
        XCTAssertEqual(plan.positions.last?.y, 192)
        let input = try Tensor(shape: [1, 2, 2, 2], data: [1, 2, 3, 6, -1, -1, -1, 3])
        let network = TechniqueToyNetwork(height: 2, width: 2, channels: 2, stages: [], classes: 1)
        XCTAssertEqual(try OcclusionFill.mean.channelValues(input: input, network: network), [3, 0])
        XCTAssertThrowsError(try OcclusionPlan(height: 20, width: 20, options: .init(window: 32)))
    }
}
