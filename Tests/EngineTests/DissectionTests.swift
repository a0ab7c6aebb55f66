import Foundation
import XCTest
@testable import Engine

/// Network dissection (Bau et al. 2017): the quantile and IoU by hand, a colour detector built
/// by construction, the colour bins, GIMP's pattern format, and the broden-lite set.
final class DissectionTests: XCTestCase {
    func testQuantileKeepsTheKthLargestExactly() {
        var quantile = QuantileThreshold(units: 2, keep: 3)
        let first: [Float] = [5, 1, 9, 7, 3, 8]
        first.withUnsafeBufferPointer { quantile.offer(unit: 0, $0) }
        let second: [Float] = [2, 4]
        second.withUnsafeBufferPointer { quantile.offer(unit: 1, $0) }
        // Unit 0: 9, 8, 7 kept, T = 7 and exactly two values (9, 8) lie above it.
        XCTAssertEqual(quantile.thresholds(), [7, 2])
        // Against a full sort on a long stream with ties, offered in uneven chunks.
        var random = SeededRandom(seed: 3)
        let stream = (0..<5_000).map { _ in Float(random.integer(in: 0..<700)) / 7 }
        var streamed = QuantileThreshold(units: 1, keep: 25)
        var start = 0
        while start < stream.count {
            let end = min(stream.count, start + 1 + random.integer(in: 0..<300))
            Array(stream[start..<end]).withUnsafeBufferPointer { streamed.offer(unit: 0, $0) }
            start = end
        }
        XCTAssertEqual(streamed.thresholds()[0], stream.sorted(by: >)[24])
        XCTAssertEqual(QuantileThreshold(units: 1, keep: 4).thresholds(), [-Float.infinity])
    }

    /// A 2x2 map [[1, 1], [0, 0]] upsampled to 4x4 (align_corners = false) has rows 1, 0.75,
    /// 0.25, 0; above 0.5 are rows 0-1 (8 pixels). Concept 0 on rows 1-2 (object plane):
    /// intersection 4, union 8 + 8 - 4 = 12, IoU 1/3. Concept 1 on two pixels of row 0 (colour
    /// plane): 2 / 8. Concept 2 absent from the mask: 0.
    func testIoUByHand() throws {
        let upsampled = IoUAccumulator.upsample([1, 1, 0, 0], height: 2, width: 2, side: 4)
        XCTAssertEqual(upsampled, [1, 1, 1, 1, 0.75, 0.75, 0.75, 0.75, 0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0])
        var labels = [UInt8](repeating: 0, count: 3 * 16)
        for pixel in 4..<12 { labels[pixel] = 1 }
        labels[32] = 2; labels[33] = 2
        labels[16 + 15] = 3 // concept 2 (texture plane), outside the mask
        var accumulator = IoUAccumulator(units: 1, concepts: 3, maskSide: 4)
        let activation = try Tensor(shape: [1, 1, 2, 2], data: [1, 1, 0, 0])
        accumulator.add(activation, item: 0, thresholds: [0.5], labels: labels)
        XCTAssertEqual(accumulator.maskSizes, [8])
        XCTAssertEqual(accumulator.intersections, [4, 2, 0])
        let iou = accumulator.iou(labelCounts: [8, 2, 1])
        XCTAssertEqual(iou[0], 1.0 / 3.0, accuracy: 1e-6)
        XCTAssertEqual(iou[1], 0.25, accuracy: 1e-6)
        XCTAssertEqual(iou[2], 0)
        // A map that never exceeds its threshold adds nothing.
        accumulator.add(activation, item: 0, thresholds: [1], labels: labels)
        XCTAssertEqual(accumulator.maskSizes, [8])
    }

    func testColourNames() {
        let cases: [((Float, Float, Float), String)] = [
            ((1, 0, 0), "red"), ((0, 0, 1), "blue"), ((0, 0.8, 0.1), "green"), ((1, 1, 1), "white"), ((0.1, 0.1, 0.12), "black"),
            ((0.5, 0.5, 0.5), "grey"), ((0.5, 0.3, 0.1), "brown"), ((1, 0.6, 0.7), "pink"), ((1, 0.55, 0), "orange"),
            ((0.9, 0.9, 0.1), "yellow"), ((0.5, 0.1, 0.8), "purple"), ((0.9, 0.2, 0.8), "pink"),
        ]
        for ((r, g, b), name) in cases {
            XCTAssertEqual(ColorNames.names[ColorNames.index(r: r, g: g, b: b)], name, "\(r), \(g), \(b)")
        }
    }

    func testGIMPPatternHeaderAndPixels() throws {
        func word(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 255), UInt8(value >> 16 & 255), UInt8(value >> 8 & 255), UInt8(value & 255)] }
        let name = Array("ab".utf8) + [0]
        let header = word(24 + name.count) + word(1) + word(2) + word(1) + word(3) + Array("GPAT".utf8) + name
        let bytes = header + [255, 0, 0, 0, 51, 102]
        let (image, patternName) = try GIMPPattern.decode(bytes, source: "t.pat")
        XCTAssertEqual(patternName, "ab")
        XCTAssertEqual([image.width, image.height, image.channels], [2, 1, 3])
        XCTAssertEqual(image.pixels, [1, 0, 0, 0, 0.2, 0.4])
        XCTAssertThrowsError(try GIMPPattern.decode(Array(bytes.dropLast()), source: "t.pat"))
        XCTAssertThrowsError(try GIMPPattern.decode(Array(bytes.prefix(20)), source: "t.pat"))
    }

    /// Images of grey noise with red squares (8x8 of 32x32, at even places) and a 1x1
    /// convolution whose unit 0 is 2R - G - B (a red detector by construction), unit 1 its
    /// negative. Only the square's top half is labelled "square" (object). With the quantile set to the red share of the pixels, unit 0's region is the
    /// red pixels: labelled "red" with IoU near 1 (one pixel short, at the threshold itself).
    func testRedDetectorIsLabelledRed() throws {
        var random = SeededRandom(seed: 5)
        let side = 32, maskSide = 16, count = 40
        let concepts = [ConceptSet.Concept(name: "square", category: .object), ConceptSet.Concept(name: "red", category: .color),
                        ConceptSet.Concept(name: "grey", category: .color)]
        var images: [Image] = [], labels: [[UInt8]] = []
        for _ in 0..<count {
            var pixels = [Float](repeating: 0, count: side * side * 3)
            for index in 0..<(side * side) {
                let grey = random.uniform(0.3, 0.7)
                for channel in 0..<3 { pixels[index * 3 + channel] = grey + random.uniform(-0.05, 0.05) }
            }
            let x0 = 2 * random.integer(in: 0..<13), y0 = 2 * random.integer(in: 0..<13)
            var plane = [UInt8](repeating: 0, count: 3 * maskSide * maskSide)
            for index in 0..<(maskSide * maskSide) { plane[2 * maskSide * maskSide + index] = 3 }
            for y in y0..<(y0 + 8) {
                for x in x0..<(x0 + 8) {
                    let index = (y * side + x) * 3
                    (pixels[index], pixels[index + 1], pixels[index + 2]) = (random.uniform(0.7, 1), random.uniform(0, 0.2), random.uniform(0, 0.2))
                    let target = (y / 2) * maskSide + x / 2
                    if y < y0 + 4 { plane[target] = 1 } // "square" marks only the top half: IoU 1/2
                    plane[2 * maskSide * maskSide + target] = 2
                }
            }
            images.append(try Image(width: side, height: side, channels: 3, pixels: pixels))
            labels.append(plane)
        }
        let set = try ConceptSet(name: "toy", concepts: concepts, images: images, maskSide: maskSide, labels: labels)
        let weight = try Tensor(shape: [2, 3, 1, 1], data: [2, -1, -1, -2, 1, 1])
        let network = TechniqueToyNetwork(height: side, width: side, channels: 3, stages: [
            .init("conv", [2, side, side]) { try $0.conv2d(weight: weight, bias: nil) },
        ], classes: 1)
        var dissection = NetworkDissection(quantile: 64.0 / 1024.0, labelThreshold: 0.04, batchSize: 7)
        for cacheBytes in [512 << 20, 0] { // one pass with the activations kept, and two passes
            dissection.cacheBytes = cacheBytes
            let result = try dissection.run(network: network, set: set, layer: "conv")
            XCTAssertEqual(result.imagesUsed, count)
            let best = result.bestConcepts()
            let red = best.first { $0.unit == 0 }
            XCTAssertEqual(red?.concept, 1)
            XCTAssertGreaterThan(red?.iou ?? 0, 0.95)
            XCTAssertEqual(result.iou[0 * 3 + 0], 0.5, accuracy: 0.02)
            // Unit 1 (G + B - 2R) peaks on scattered grey noise, never on the red squares.
            XCTAssertEqual(result.iou[1 * 3 + 1], 0)
            XCTAssertEqual(result.labelledUnits().first?.unit, 0)
            XCTAssertEqual(result.unitsPerCategory()[0], 0)
            XCTAssertGreaterThanOrEqual(result.unitsPerCategory()[2], 1)
            XCTAssertEqual(result.unitsPerCategory().reduce(0, +), result.labelledUnits().count)
            XCTAssertEqual(result.topImages[0].count, 5)
            let figure = try result.renderUnits(network: network, set: set, units: 2, tileSize: 32)
            XCTAssertGreaterThan(figure.width, 5 * 32)
            XCTAssertGreaterThan(DissectionChart.render([result, result], title: "t").width, 100)
        }
        // Stopped before the first batch: nothing to report, the interrupt propagates.
        XCTAssertThrowsError(try dissection.run(network: network, set: set, layer: "conv", shouldStop: { true }))
        // Stopped after one batch (7 images): the result covers those.
        var calls = 0
        let partial = try dissection.run(network: network, set: set, layer: "conv", shouldStop: { calls += 1; return calls > 1 })
        XCTAssertTrue(partial.stopped)
        XCTAssertLessThan(partial.imagesUsed, count)
        XCTAssertThrowsError(try dissection.run(network: network, set: set, layer: "nope"))
    }

    func testObjectConceptsGroupTuxPaintFolders() {
        XCTAssertEqual(BrodenLite.objectConcept(of: "animals/birds/owl.png"), "bird")
        XCTAssertEqual(BrodenLite.objectConcept(of: "animals/mammals/bovines/cow.png"), "mammal")
        XCTAssertEqual(BrodenLite.objectConcept(of: "military/vehicles/apc.png"), "vehicle")
        XCTAssertNil(BrodenLite.objectConcept(of: "seasonal/christmas/tree.png"))
    }

    /// Composes a few images from the fetched collections (skipped without the assets) and
    /// reads them back from disk unchanged.
    func testBrodenLiteComposesAndRoundTrips() throws {
        guard let root = try? AssetDirectory.locate(),
              FileManager.default.fileExists(atPath: root.appendingPathComponent("collections/textures.json").path) else {
            throw XCTSkip("the textures collection is not fetched")
        }
        let set = try BrodenLite.compose(root: root, count: 12)
        XCTAssertEqual(set.images.count, 12)
        XCTAssertEqual(set.images[0].width, 224)
        let pixels = set.pixelCounts()
        let categories = set.concepts.map(\.category)
        let total = { (category: ConceptSet.Category) in zip(pixels, categories).filter { $0.1 == category }.map(\.0).reduce(0, +) }
        XCTAssertEqual(total(.color), 12 * 112 * 112) // every pixel has a colour
        XCTAssertGreaterThan(total(.object), 12 * 112 * 112 / 50)
        XCTAssertGreaterThan(total(.texture), 0)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dissection-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ConceptSetStore.write(set, to: folder, recipe: "test")
        let read = try ConceptSetStore.read(folder)
        XCTAssertEqual(read.concepts, set.concepts)
        XCTAssertEqual(read.labels, set.labels)
        for (a, b) in zip(read.images, set.images) {
            XCTAssertEqual(zip(a.pixels, b.pixels).map { abs($0 - $1) }.max() ?? 1, 0, accuracy: 0.5 / 255 + 1e-6)
        }
        // Publishing: a second kernel finding the same recipe in place keeps it; nothing is left
        // staged beside it; a folder that cannot be written is an error naming it.
        let shared = FileManager.default.temporaryDirectory.appendingPathComponent("dissection-shared-\(UUID().uuidString)")
        let published = shared.appendingPathComponent("broden-lite")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shared.path)
            try? FileManager.default.removeItem(at: shared)
        }
        try ConceptSetStore.publish(set, to: published, recipe: "r1")
        let stamp = try FileManager.default.attributesOfItem(atPath: published.appendingPathComponent("labels.npy").path)[.modificationDate] as? Date
        try ConceptSetStore.publish(set, to: published, recipe: "r1")
        let again = try FileManager.default.attributesOfItem(atPath: published.appendingPathComponent("labels.npy").path)[.modificationDate] as? Date
        XCTAssertEqual(stamp, again)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: shared.path), ["broden-lite"])
        XCTAssertEqual(try ConceptSetStore.read(published).labels, set.labels)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: shared.path)
        if getuid() != 0 { // root writes anyway
            XCTAssertThrowsError(try ConceptSetStore.publish(set, to: shared.appendingPathComponent("other"), recipe: "r1"))
        }
    }
}
