import XCTest
@testable import Engine

/// Diversity (Olah et al. 2017): the Gram penalty's gradient against central differences, and
/// jointly optimized images against independent runs.
final class DiversityTests: XCTestCase {
    /// Two 3x3 convolutions; `smooth` leaves out the ReLUs so central differences never straddle a kink.
    private func toyNetwork(smooth: Bool = false) throws -> TechniqueToyNetwork {
        let first = try Tensor(shape: [4, 3, 3, 3], data: techniqueRandomValues(108, seed: 51))
        let second = try Tensor(shape: [6, 4, 3, 3], data: techniqueRandomValues(216, seed: 52))
        return TechniqueToyNetwork(height: 12, width: 12, channels: 3, stages: [
            .init("conv1", [4, 12, 12]) { try $0.conv2d(weight: first, bias: nil, stride: 1, padding: .symmetric(1)).reluUnless(smooth) },
            .init("conv2", [6, 12, 12]) { try $0.conv2d(weight: second, bias: nil, stride: 1, padding: .symmetric(1)).reluUnless(smooth) },
        ], classes: 0, scale: 2, offset: 0.5)
    }

    /// Hand-computed: A = [[1, 2], [0, 1]] (C 2, HW 2) gives G = [[5, 2], [2, 1]] / 2; two identical
    /// images have similarity 1, orthogonal Gram matrices 0.
    func testGramAndSimilarityByHand() {
        XCTAssertEqual(GramDiversity.gram([1, 2, 0, 1][...], channels: 2, positions: 2), [2.5, 1, 1, 0.5])
        XCTAssertEqual(GramDiversity.similarity([1, 0, 0, 0], [0, 0, 0, 1]), 0)
        XCTAssertEqual(GramDiversity.similarity([1, 2, 2, 1], [2, 4, 4, 2]), 1, accuracy: 1e-6)
        // [1,0,0,0] vs [1,1,1,1]: 1 / (1 * 2).
        XCTAssertEqual(GramDiversity.meanSimilarity([[1, 0, 0, 0], [1, 1, 1, 1]]), 0.5, accuracy: 1e-6)
    }

    /// dP/dA_i of P = sum_{i<j} cos(G_i, G_j) against central differences in double-checked floats.
    func testPenaltyGradientMatchesFiniteDifferences() {
        let (channels, positions) = (3, 5)
        let activations = (0..<3).map { item in techniqueRandomValues(channels * positions, seed: UInt64(60 + item)).map { abs($0) + 0.1 } }
        let (value, gradients) = GramDiversity.penalty(activations, channels: channels, positions: positions)
        var expected: Float = 0
        let grams = activations.map { GramDiversity.gram($0[...], channels: channels, positions: positions) }
        for i in 0..<3 { for j in (i + 1)..<3 { expected += GramDiversity.similarity(grams[i], grams[j]) } }
        XCTAssertEqual(value, expected, accuracy: 1e-6)
        var checked = 0
        for item in 0..<3 {
            for index in 0..<(channels * positions) {
                let step: Float = 1e-2
                var plus = activations, minus = activations
                plus[item][index] += step
                minus[item][index] -= step
                let numeric = (GramDiversity.penalty(plus, channels: channels, positions: positions).value
                               - GramDiversity.penalty(minus, channels: channels, positions: positions).value) / (2 * step)
                XCTAssertEqual(gradients[item][index], numeric, accuracy: 2e-3 + 0.02 * abs(numeric), "image \(item) value \(index)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 45)
    }

    /// The whole objective J through the network: its image gradient against central differences.
    func testObjectiveGradientThroughNetworkMatchesFiniteDifferences() throws {
        let network = try toyNetwork(smooth: true)
        let space = try InputSpace(network: network)
        let testWeight: Float = 3
        let views = (0..<2).map { techniqueRandomValues(12 * 12 * 3, seed: UInt64(70 + $0)).map { 0.5 + 0.4 * $0 } }
        func value(_ views: [[Float]]) throws -> Float {
            try Diversity.evaluate(network: network, space: space, views: views, height: 12, width: 12, layer: "conv2", channel: 1,
                                   gramLayer: "conv1", weight: testWeight).0
        }
        let (_, _, gradients) = try Diversity.evaluate(network: network, space: space, views: views, height: 12, width: 12,
                                                       layer: "conv2", channel: 1, gramLayer: "conv1", weight: testWeight)
        var largest: Float = 0
        for item in views.indices {
            for index in stride(from: 0, to: views[item].count, by: 7) {
                var plus = views, minus = views
                // Float32 sums of J limit the step from below, ReLU kinks from above.
                plus[item][index] += 1e-2
                minus[item][index] -= 1e-2
                let numeric = (try value(plus) - value(minus)) / 2e-2
                largest = max(largest, abs(numeric))
                XCTAssertEqual(gradients[item][index], numeric, accuracy: 3e-3 + 0.03 * abs(numeric), "image \(item) pixel \(index)")
            }
        }
        XCTAssertGreaterThan(largest, 1e-3)
    }

    /// Optimized together, the images' Gram matrices at the layer below agree less than those of
    /// `count` independent runs (weight 0, each its own seed); same seed, same bytes.
    func testJointRunIsMoreDiverseThanIndependentRuns() throws {
        let network = try toyNetwork()
        XCTAssertEqual(try Diversity.layerBelow("conv2", in: network), "conv1")
        var options = Diversity.Options(count: 3, weight: 50, steps: 40, seed: 5)
        let joint = try Diversity.run(network: network, layer: "conv2", channel: 1, options: options)
        let again = try Diversity.run(network: network, layer: "conv2", channel: 1, options: options)
        XCTAssertEqual(joint.images.map(\.pixels), again.images.map(\.pixels))
        options.weight = 0
        options.count = 2
        let independent = try (0..<3).map { seed -> Image in
            options.seed = UInt64(100 + seed)
            return try Diversity.run(network: network, layer: "conv2", channel: 1, options: options).images[0]
        }
        let jointSimilarity = try Diversity.gramSimilarity(network: network, images: joint.images, gramLayer: "conv1")
        let independentSimilarity = try Diversity.gramSimilarity(network: network, images: independent, gramLayer: "conv1")
        XCTAssertEqual(jointSimilarity, joint.similarity.last ?? -1, accuracy: 1e-6)
        print("diversity: joint mean Gram similarity \(jointSimilarity), independent \(independentSimilarity)")
        XCTAssertLessThan(jointSimilarity, independentSimilarity - 0.02)
        XCTAssertEqual(joint.objective.count, 40)
    }
}

private extension Tensor {
    func reluUnless(_ smooth: Bool) throws -> Tensor { smooth ? self : try relu() }
}
