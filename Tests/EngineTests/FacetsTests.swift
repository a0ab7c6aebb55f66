import XCTest
@testable import Engine

/// Multifaceted visualization (Nguyen et al. 2016): k-means by hand, and each facet's start is the
/// mean of the images nearest its centroid.
final class FacetsTests: XCTestCase {
    /// Two obvious groups on a line and two in the plane: the centroids are their means.
    func testKMeansByHand() throws {
        let line = try KMeans.cluster([0, 1, 10, 11, 12], rows: 5, columns: 1, k: 2, seed: 3)
        let order = line.centroids.sorted()
        XCTAssertEqual(order[0], 0.5, accuracy: 1e-6)
        XCTAssertEqual(order[1], 11, accuracy: 1e-6)
        XCTAssertEqual(line.assignments[0], line.assignments[1])
        XCTAssertEqual(Set(line.assignments[2...]).count, 1)
        XCTAssertNotEqual(line.assignments[0], line.assignments[2])
        // Squares around (0, 0) and (5, 5): centroids (0.5, 0.5) and (5.5, 5.5), for every seed.
        let plane: [Float] = [0, 0, 1, 0, 0, 1, 1, 1, 5, 5, 6, 5, 5, 6, 6, 6]
        for seed in 0..<5 {
            let result = try KMeans.cluster(plane, rows: 8, columns: 2, k: 2, seed: UInt64(seed))
            let centres = [Array(result.centroids[0..<2]), Array(result.centroids[2..<4])].sorted { $0[0] < $1[0] }
            XCTAssertEqual(centres, [[0.5, 0.5], [5.5, 5.5]])
            XCTAssertEqual(result.assignments[0..<4].allSatisfy { $0 == result.assignments[0] }, true)
        }
        // k = rows: every point its own centre; bad input is an error.
        XCTAssertEqual(Set(try KMeans.cluster([0, 1, 2], rows: 3, columns: 1, k: 3).assignments).count, 3)
        XCTAssertThrowsError(try KMeans.cluster([0, 1], rows: 2, columns: 1, k: 3))
        XCTAssertThrowsError(try KMeans.cluster([0, .nan], rows: 2, columns: 1, k: 1))
    }

    private func toyNetwork() throws -> TechniqueToyNetwork {
        let weight = try Tensor(shape: [3, 3, 3, 3], data: techniqueRandomValues(81, seed: 81))
        let dense = try Tensor(shape: [4, 3 * 8 * 8], data: techniqueRandomValues(4 * 192, seed: 82).map { $0 * 0.3 })
        return TechniqueToyNetwork(height: 8, width: 8, channels: 3, stages: [
            .init("conv", [3, 8, 8]) { try $0.conv2d(weight: weight, bias: nil, stride: 1, padding: .symmetric(1)).relu() },
            .init("logits", [4]) { try $0.flatten().linear(weight: dense, bias: nil) },
        ], classes: 4, scale: 2, offset: 0.5)
    }

    /// Two kinds of image (bright left half, bright right half): each facet's start is exactly the
    /// mean of its nearest images, those are its cluster's images nearest the centroid, and the
    /// facets' runs start from their own starts.
    func testEachFacetStartsFromTheMeanOfItsNearestImages() throws {
        let network = try toyNetwork()
        var random = SeededRandom(seed: 90)
        let images = try (0..<12).map { index -> Image in
            let pixels = (0..<192).map { i -> Float in
                let x = (i / 3) % 8
                let bright = (index % 2 == 0) == (x < 4)
                return (bright ? 0.8 : 0.2) + 0.1 * random.uniform(-1, 1)
            }
            return try Image(width: 8, height: 8, channels: 3, pixels: pixels)
        }
        var options = Facets.Options(count: 2, steps: 3, seed: 4)
        options.nearest = 4
        // No jitter, so step 0 sees the start itself.
        options.visualization.regularizer = .none
        let result = try Facets.run(network: network, objective: .channel(layer: "conv", channel: 1), images: images, options: options)
        XCTAssertEqual(result.codeLayer, "conv")
        XCTAssertEqual(result.facets.count, 2)
        XCTAssertEqual(result.embedded.count, 12)
        XCTAssertEqual(Set(result.facets.flatMap(\.members)).count, 12)
        for facet in result.facets {
            XCTAssertEqual(facet.nearest.count, min(4, facet.members.count))
            XCTAssertTrue(Set(facet.nearest).isSubset(of: Set(facet.members)))
            var sum = [Float](repeating: 0, count: 192)
            for index in facet.nearest {
                let seen = try network.deprocess(try network.preprocess(images[index]))
                for i in sum.indices { sum[i] += seen.pixels[i] }
            }
            XCTAssertEqual(facet.start.pixels, sum.map { $0 * (1 / Float(facet.nearest.count)) })
            XCTAssertEqual(facet.result.scores.count, 4)
            // Step 0 sees the start itself: its value is the channel's mean on the mean image.
            let input = try network.preprocess(facet.start)
            let value = try SynthesisObjective.channel(layer: "conv", channel: 1).evaluate(network: network, input: input).value
            XCTAssertEqual(facet.result.scores[0], value, accuracy: 1e-5)
        }
        // The two kinds separate: each cluster holds one parity.
        for facet in result.facets { XCTAssertEqual(Set(facet.members.map { $0 % 2 }).count, 1, "\(facet.members)") }
        XCTAssertThrowsError(try Facets.run(network: network, objective: .classScore(0), images: Array(images.prefix(2)), options: options))
    }
}
