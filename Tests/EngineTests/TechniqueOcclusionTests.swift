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
        // 227 x 227, window 32, stride 8: starts 0, 8, ..., 192 (25), and 192 + 32 = 224 leaves
        // 3 pixels, so a 26th square sits flush at 195: 26 x 26 = 676 positions.
        let plan = try OcclusionPlan(height: 227, width: 227, options: .init())
        XCTAssertEqual(plan.rows, 26)
        XCTAssertEqual(plan.columns, 26)
        XCTAssertEqual(plan.positions.last?.y, 195)
        XCTAssertEqual(plan.positions.last?.x, 195)
        // A stride that divides evenly adds nothing: 0, 2 on 4 pixels with window 2.
        XCTAssertEqual(OcclusionPlan.starts(extent: 4, window: 2, stride: 2), [0, 2])
        XCTAssertEqual(OcclusionPlan.starts(extent: 5, window: 2, stride: 2), [0, 2, 3])
        let input = try Tensor(shape: [1, 2, 2, 2], data: [1, 2, 3, 6, -1, -1, -1, 3])
        let network = TechniqueToyNetwork(height: 2, width: 2, channels: 2, stages: [], classes: 1)
        XCTAssertEqual(try OcclusionFill.mean.channelValues(input: input, network: network), [3, 0])
        XCTAssertThrowsError(try OcclusionPlan(height: 20, width: 20, options: .init(window: 32)))
    }

    /// A stride above the window would leave strips no square ever hides: refused, naming both.
    func testStrideLargerThanWindowIsRefusedNamingBoth() throws {
        XCTAssertThrowsError(try OcclusionPlan(height: 8, width: 8, options: .init(window: 2, stride: 3))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("stride 3") && text.contains("window 2"), text)
        }
        XCTAssertEqual(Occlusion.Options(window: 4, stride: 5).coverageProblem?.contains("strips 1 pixel wide"), true)
        XCTAssertNil(Occlusion.Options(window: 4, stride: 4).coverageProblem)
    }

    /// 5 x 5 input, window 2, stride 2: squares start at 0, 2 and (flush) 3 on each axis. Only
    /// pixel (4, 4) carries weight 3, so P(class 0) = sigmoid(0.5 * 3) = sigmoid(1.5) unless the
    /// square hides (4, 4), which only the square at (3, 3) does: P = sigmoid(0) = 0.5 there.
    /// Each pixel's value is the mean over the squares covering it, worked out by hand below.
    func testEveryPixelTakesTheMeanOfTheSquaresCoveringIt() throws {
        var weights = [Float](repeating: 0, count: 25)
        weights[24] = 3
        let weight = try Tensor(shape: [2, 25], data: weights + [Float](repeating: 0, count: 25))
        let network = TechniqueToyNetwork(height: 5, width: 5, channels: 1, stages: [
            .init("logits", [2]) { try $0.flatten().linear(weight: weight, bias: nil) },
        ], classes: 2)
        let image = try Image(width: 5, height: 5, channels: 1, value: 0.5)
        let result = try Occlusion.compute(network: network, image: image, classIndex: 0,
                                           options: .init(window: 2, stride: 2, fill: .zero))
        let unhidden = 1 / (1 + exp(-Float(1.5)))
        XCTAssertEqual(result.probabilities.height, 3)
        XCTAssertEqual(result.probabilities.width, 3)
        XCTAssertEqual(result.probabilities[2, 2], 0.5, accuracy: 1e-6)
        XCTAssertEqual(result.probabilities[1, 2], unhidden, accuracy: 1e-6)
        let map = result.pixelMap
        XCTAssertFalse(map.values.contains { $0.isNaN }, "every pixel is covered")
        // (4, 4): only the flush square (3, 3) covers it. Before, the margin copied (3, 3)'s
        // neighbour and showed sigmoid(1.5).
        XCTAssertEqual(map[4, 4], 0.5, accuracy: 1e-6)
        // (3, 3): squares starting at rows {2, 3} x columns {2, 3}; one of the four hides (4, 4).
        XCTAssertEqual(map[3, 3], (3 * unhidden + 0.5) / 4, accuracy: 1e-6)
        // (3, 0): squares at rows {2, 3}, column 0; neither hides (4, 4).
        XCTAssertEqual(map[3, 0], unhidden, accuracy: 1e-6)
        // (4, 2): only the square at row 3, column 2 (columns 2 and 3), which leaves (4, 4) visible;
        // (4, 3): that one and the square at (3, 3), which hides it.
        XCTAssertEqual(map[4, 2], unhidden, accuracy: 1e-6)
        XCTAssertEqual(map[4, 3], (unhidden + 0.5) / 2, accuracy: 1e-6)
        // The colour scale runs over these measured values only: 0.5 to sigmoid(1.5).
        let mapped = ToneMap.minMax.apply(map.values)
        XCTAssertEqual(mapped.low, 0.5, accuracy: 1e-6)
        XCTAssertEqual(mapped.high, unhidden, accuracy: 1e-6)
    }
}
