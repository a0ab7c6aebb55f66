import Foundation
import XCTest
@testable import Engine

/// A collection index read from a temporary asset folder: labels, seeded sampling, shrinking,
/// credits per package, and the letterboxed dataset examples.
final class ImageCollectionTests: XCTestCase {
    private func makeCollection() throws -> (URL, ImageCollection) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("collection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("collections"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("photos"), withIntermediateDirectories: true)
        var rows: [String] = []
        for index in 0..<5 {
            let image = try Image(width: 40 + index, height: 20, channels: 3, value: Float(index) / 4)
            try ImageFile.writePNG(image, to: root.appendingPathComponent("photos/p\(index).png").path)
            let source = index < 3 ? "debian:openclipart-png==1:0.18+dfsg-19:./usr/p\(index).png" : "pypi:foolbox==3.3.4:data/p\(index).png"
            rows.append("{\"file\": \"photos/p\(index).png\", \"label\": \"\(index % 2 == 0 ? "even" : "odd")\", "
                        + "\"source\": \"\(source)\", \"licence\": \"L\(index < 3 ? 1 : 2)\", \"sha256\": \"x\"}")
        }
        try ("[" + rows.joined(separator: ",\n") + "]").write(to: root.appendingPathComponent("collections/photos.json"),
                                                              atomically: true, encoding: .utf8)
        return (root, try ImageCollection("photos", root: root))
    }

    func testLabelsSamplingAndShrinking() throws {
        let (root, collection) = try makeCollection()
        defer { try? FileManager.default.removeItem(at: root) }
        XCTAssertEqual(collection.entries.map(\.label), ["even", "odd", "even", "odd", "even"])
        var first = SeededRandom(seed: 5), second = SeededRandom(seed: 5)
        let picked = collection.choose(count: 3, using: &first)
        XCTAssertEqual(picked, collection.choose(count: 3, using: &second))
        XCTAssertEqual(Set(picked).count, 3)
        XCTAssertEqual(collection.choose(count: nil, using: &first), [0, 1, 2, 3, 4])
        let member = try collection.load(4, maxSide: 22)
        XCTAssertEqual(member.image.width, 22) // 44 x 20 -> 22 x 10
        XCTAssertEqual(member.image.height, 10)
        XCTAssertEqual(member.image.value(x: 3, y: 3, channel: 0), 1, accuracy: 1e-6)
        XCTAssertNil(member.mask)
        // 40 x 20 is enlarged to a shorter side of 64 (128 x 64), or as far as maxSide allows (100 x 50).
        let small = try collection.load(0, maxSide: 256)
        XCTAssertEqual([small.image.width, small.image.height], [128, 64])
        let capped = try collection.load(0, maxSide: 100)
        XCTAssertEqual([capped.image.width, capped.image.height], [100, 50])
        let credits = collection.credits()
        XCTAssertEqual(credits.map(\.source), ["debian:openclipart-png==1:0.18+dfsg-19", "pypi:foolbox==3.3.4"])
        XCTAssertEqual(credits.map(\.count), [3, 2])
        XCTAssertEqual(credits.map(\.licence), ["L1", "L2"])
        XCTAssertThrowsError(try ImageCollection("nonsense"))
    }

    func testLetterboxCentresOnGrey() throws {
        let image = try Image(width: 4, height: 2, channels: 3, value: 1)
        let boxed = DatasetCatalog.letterboxed(image, side: 4)
        // Rows 1-2 are the image, rows 0 and 3 the grey background.
        XCTAssertEqual(boxed.value(x: 0, y: 0, channel: 0), ImageCollection.background)
        XCTAssertEqual(boxed.value(x: 2, y: 1, channel: 1), 1)
        XCTAssertEqual(boxed.value(x: 3, y: 2, channel: 2), 1)
        XCTAssertEqual(boxed.value(x: 3, y: 3, channel: 2), ImageCollection.background)
    }

    /// A 1x5 cut-out (aspect 5) gets grey columns to a 3x5 canvas (aspect under 2), centred;
    /// its mask is padded with 0; a cut-out within the ratio is left alone.
    func testLongCutOutsArePaddedToTheAspectLimit() throws {
        let image = try Image(width: 1, height: 5, channels: 3, value: 1)
        let (padded, mask) = ImageCollection.padded(image, mask: [1, 1, 0.5, 1, 1], maxAspect: 2)
        XCTAssertEqual([padded.width, padded.height], [3, 5])
        XCTAssertEqual(mask, [0, 1, 0, 0, 1, 0, 0, 0.5, 0, 0, 1, 0, 0, 1, 0])
        XCTAssertEqual(padded.value(x: 0, y: 2, channel: 1), ImageCollection.background)
        XCTAssertEqual(padded.value(x: 1, y: 2, channel: 1), 1)
        XCTAssertEqual(padded.value(x: 2, y: 4, channel: 0), ImageCollection.background)
        let square = try Image(width: 4, height: 3, channels: 3, value: 1)
        XCTAssertEqual(ImageCollection.padded(square, mask: Array(repeating: 1, count: 12), maxAspect: 2).0.width, 4)
    }
}
