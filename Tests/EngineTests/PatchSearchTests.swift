import XCTest
@testable import Engine

/// The streaming top-k of `PatchSearch` against a brute-force pass that keeps every activation
/// and sorts them all: same patches, same order, whatever the batch size.
final class PatchSearchTests: XCTestCase {
    func testHeapKeepsTheLargestInOrder() {
        var random = SeededRandom(seed: 7)
        let stream = (0..<1_000).map { _ in random.integer(in: 0..<200) } // many ties
        var heap = TopKHeap<(Int, Int)>(capacity: 25) { a, b in a.0 != b.0 ? a.0 > b.0 : a.1 < b.1 }
        for (position, value) in stream.enumerated() { heap.offer((value, position)) }
        let brute = stream.enumerated().map { ($0.element, $0.offset) }
            .sorted { a, b in a.0 != b.0 ? a.0 > b.0 : a.1 < b.1 }.prefix(25)
        XCTAssertEqual(heap.sorted().map(\.0), brute.map(\.0))
        XCTAssertEqual(heap.sorted().map(\.1), brute.map(\.1))
        var empty = TopKHeap<Int>(capacity: 0, ranks: >)
        empty.offer(3)
        XCTAssertEqual(empty.count, 0)
    }

    /// Two channels of a 3x3 convolution over random images: every (value, image, y, x) the
    /// search returns must be the brute-force ranking's, with at most one per image.
    func testSearchMatchesBruteForce() throws {
        var random = SeededRandom(seed: 11)
        let weights = (0..<18).map { _ in Float(random.integer(in: 0..<2001) - 1000) / 1000 }
        let weight = try Tensor(shape: [2, 1, 3, 3], data: weights)
        let network = TechniqueToyNetwork(height: 12, width: 12, channels: 1, stages: [
            .init("conv", [2, 10, 10], rf: 3, jump: 1, start: 1) { try $0.conv2d(weight: weight, bias: nil) },
        ], classes: 1)
        let images = try (0..<23).map { _ in
            try Image(width: 12, height: 12, channels: 1, pixels: (0..<144).map { _ in Float(random.integer(in: 0..<256)) / 255 })
        }
        // Brute force: every activation of every image, the best position per image, then all sorted.
        var all: [[(value: Float, image: Int, y: Int, x: Int)]] = [[], []]
        for (index, image) in images.enumerated() {
            let input = try Tensor(shape: [1, 1, 12, 12], data: image.pixels)
            let activation = try input.conv2d(weight: weight, bias: nil)
            for channel in 0..<2 {
                var best: (value: Float, image: Int, y: Int, x: Int)?
                for y in 0..<10 {
                    for x in 0..<10 {
                        let value = activation.data[(channel * 10 + y) * 10 + x]
                        if best == nil || value > best!.value { best = (value, index, y, x) }
                    }
                }
                if let best { all[channel].append(best) }
            }
        }
        for batchSize in [1, 4, 64] {
            let outcome = try PatchSearch(top: 9, batchSize: batchSize)
                .run(network: network, images: images, layer: "conv", channels: [0, 1])
            XCTAssertFalse(outcome.stopped)
            for channel in 0..<2 {
                let expected = all[channel].sorted { $0.value != $1.value ? $0.value > $1.value : $0.image < $1.image }.prefix(9)
                let found = outcome.results[channel].patches
                XCTAssertEqual(found.map(\.imageIndex), expected.map(\.image), "batch \(batchSize) channel \(channel)")
                XCTAssertEqual(found.map(\.y), expected.map(\.y))
                XCTAssertEqual(found.map(\.x), expected.map(\.x))
                for (patch, want) in zip(found, expected) { XCTAssertEqual(patch.value, want.value, accuracy: 1e-5) }
                XCTAssertEqual(found.first?.crop.width, 3)
            }
        }
    }

    /// Crops add candidates (never lose the whole-image best), are the same for any batch size,
    /// and a search told to stop after the first batch returns that batch's best.
    func testCropsAndStopping() throws {
        let weight = try Tensor(shape: [1, 1, 1, 1], data: [1])
        let network = TechniqueToyNetwork(height: 8, width: 8, channels: 1, stages: [
            .init("conv", [1, 8, 8], rf: 1, jump: 1, start: 0) { try $0.conv2d(weight: weight, bias: nil) },
        ], classes: 1, resizeTo: 8)
        var random = SeededRandom(seed: 3)
        let images = try (0..<6).map { _ in
            try Image(width: 32, height: 32, channels: 1, pixels: (0..<1024).map { _ in Float(random.integer(in: 0..<100)) / 100 })
        }
        let plain = try PatchSearch(top: 3).run(network: network, images: images, layer: "conv", channels: [0])
        let cropped = try PatchSearch(top: 3, crops: 4, seed: 5, batchSize: 5).run(network: network, images: images, layer: "conv", channels: [0])
        let again = try PatchSearch(top: 3, crops: 4, seed: 5, batchSize: 50).run(network: network, images: images, layer: "conv", channels: [0])
        XCTAssertGreaterThanOrEqual(cropped.results[0].values[0], plain.results[0].values[0])
        XCTAssertEqual(cropped.results[0].values, again.results[0].values)
        XCTAssertEqual(cropped.results[0].patches.map(\.imageIndex), again.results[0].patches.map(\.imageIndex))
        let search = PatchSearch(crops: 4, seed: 5)
        let views = search.views(of: images[0], index: 0)
        XCTAssertEqual(views.count, 5)
        XCTAssertNil(views[0] ?? nil)
        XCTAssertEqual(views.compactMap { $0?.side }, [9, 16, 22, 9]) // 30%, 50%, 70%, 30% of 32
        var asked = 0
        let stopped = try PatchSearch(top: 2, batchSize: 2).run(network: network, images: images, layer: "conv", channels: [0],
                                                              shouldStop: { asked += 1; return asked > 1 })
        XCTAssertEqual(stopped.imagesSearched, 2)
        XCTAssertTrue(stopped.stopped)
        XCTAssertTrue(stopped.results[0].patches.allSatisfy { $0.imageIndex < 2 })
        XCTAssertThrowsError(try PatchSearch().run(network: network, images: images, layer: "conv", channels: [1]))
    }
}
