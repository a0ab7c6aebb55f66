import XCTest
import Engine
import Foundation
@testable import Language

/// samples(), mnist() and gallery(): the image sets the course notebooks run through networks.
final class DatasetBuiltinsTests: XCTestCase {
    /// The raw bytes of an MNIST test file, read here independently of the engine's parser.
    private func testFile(_ name: String) throws -> [UInt8] {
        guard let path = try? AssetDirectory.file("mnist/" + name) else { throw XCTSkip("MNIST is not fetched (run make setup)") }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testMNISTGivesTheFirstDigitsWithTheirLabelsAndPixels() throws {
        let labelBytes = try testFile("t10k-labels-idx1-ubyte"), imageBytes = try testFile("t10k-images-idx3-ubyte")
        let session = Session()
        XCTAssertNil(run("digits = mnist(count: 10)", in: session).error)
        // The first ten MNIST test labels, as every MNIST tutorial prints them.
        XCTAssertEqual(result("digits.label", in: session), "[7, 2, 1, 0, 4, 1, 4, 9, 5, 9]")
        XCTAssertEqual(result("digits.index", in: session), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]")
        XCTAssertEqual(Array(labelBytes[8..<18]), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        XCTAssertEqual(result("digits.rows", in: session), "10")
        XCTAssertEqual(result("d = digits.image[3]\n[d.width, d.height, d.channels]", in: session), "[28, 28, 1]")
        guard case .engine(.picture(let digit))? = session.variables["d"] else { return XCTFail("no image") }
        // Digit 3's pixels are bytes 16 + 3 * 784 ... of the IDX file, divided by 255.
        let expected = imageBytes[(16 + 3 * 784)..<(16 + 4 * 784)].map { Float($0) / 255 }
        XCTAssertEqual(digit.image.pixels, expected)
        XCTAssertEqual(digit.title, "digit 0 (MNIST test #3)")
    }

    func testShuffledDigitsFollowTheSeedAndKeepTheirLabels() throws {
        let labelBytes = try testFile("t10k-labels-idx1-ubyte")
        let session = Session()
        let cell = run("""
            seed(3)
            a = mnist(count: 50, shuffle: true)
            seed(3)
            b = mnist(count: 50, shuffle: true)
            c = mnist(count: 50, shuffle: true)
            """, in: session)
        XCTAssertNil(cell.error)
        XCTAssertEqual(result("a.index == b.index", in: session), "true", "same seed, same digits")
        XCTAssertEqual(result("a.index == c.index", in: session), "false", "the stream moves on")
        guard case .table(let table)? = session.variables["a"] else { return XCTFail("no table") }
        let indices = table.rows.compactMap { $0[2].integerValue }
        XCTAssertEqual(Set(indices).count, 50, "no digit twice")
        XCTAssertTrue(indices.allSatisfy { (0..<10_000).contains($0) })
        XCTAssertNotEqual(indices, Array(0..<50))
        for row in table.rows {
            guard let index = row[2].integerValue, let label = row[1].integerValue else { return XCTFail("bad row") }
            XCTAssertEqual(label, Int(labelBytes[8 + index]), "digit \(index) keeps its own label")
        }
    }

    func testChooseIsAPartialPermutation() {
        var random = SeededRandom(seed: 11)
        let all = SampleSet.choose(20, from: 20, using: &random)
        XCTAssertEqual(all.sorted(), Array(0..<20))
        var first = SeededRandom(seed: 5), second = SeededRandom(seed: 5)
        let some = SampleSet.choose(7, from: 1000, using: &first)
        XCTAssertEqual(some, SampleSet.choose(7, from: 1000, using: &second))
        XCTAssertEqual(Set(some).count, 7)
        XCTAssertEqual(SampleSet.choose(5, from: 3, using: &first).count, 3, "never more than there are")
    }

    func testMNISTRejectsBadArguments() throws {
        _ = try testFile("t10k-labels-idx1-ubyte")
        XCTAssertEqual(failure("mnist(count: 0)")?.message, "argument 'count' of mnist must be at least 1, got 0")
        XCTAssertEqual(failure("mnist(count: 10001)")?.message, "count must be at most the 10000 digits of the test split, got 10001")
        XCTAssertEqual(failure("mnist(split: \"valid\")")?.kind, .value)
        XCTAssertEqual(failure("mnist(count: 2.5)")?.kind, .type)
    }

    func testSamplesLoadsEveryPhotoOrTheNamedOnes() throws {
        let names = SampleImages().names
        if names.isEmpty { throw XCTSkip("sample images are not fetched (run make setup)") }
        let session = Session()
        XCTAssertEqual(result("len(samples())", in: session), "\(names.count)")
        XCTAssertEqual(result("len(images())", in: session), "\(names.count)")
        XCTAssertNil(run("pair = samples([\"coffee\", \"chelsea\"])", in: session).error)
        guard case .list(let items)? = session.variables["pair"], items.count == 2,
              case .engine(.picture(let coffee)) = items[0], case .engine(.picture(let cat)) = items[1] else {
            return XCTFail("samples gave no list of two images")
        }
        XCTAssertEqual(coffee.title, "coffee")
        XCTAssertEqual([cat.title, "\(cat.image.width)x\(cat.image.height)"], ["chelsea", "451x300"])
        XCTAssertEqual(failure("samples([\"chelsae\"])")?.hint, "did you mean 'chelsea'?")
        XCTAssertEqual(failure("samples([1])")?.kind, .type)
        XCTAssertEqual(failure("samples([])")?.kind, .value)
    }

    func testGalleryLaysOutTilesInTheGivenColumns() throws {
        let session = try ToyNetwork.session()
        let digit = Picture(image: try Image(width: 28, height: 28, channels: 1, value: 0.5), title: "digit")
        session.assign("d", .engine(.picture(digit)))
        XCTAssertNil(run("g = gallery([d, d, d, d], labels: [1, 2, 3, 4], columns: 2)", in: session).error)
        guard case .engine(.picture(let grid))? = session.variables["g"] else { return XCTFail("no picture") }
        // 28-pixel tiles are drawn at 56 (the smallest whole factor reaching 48); two columns
        // of 56 with 6-pixel gaps around them make 2 * (56 + 6) + 6 = 130 pixels.
        XCTAssertEqual(grid.image.width, 130)
        // No title (4 px), two rows of tile + label line (13 + 2) + gap, and the bottom gap.
        XCTAssertEqual(grid.image.height, 4 + 2 * (56 + 15 + 6) + 6)
        XCTAssertEqual(failure("gallery([d, d], labels: [1])", in: session)?.message,
                       "needs one label per image: 1 labels for 2 images")
        XCTAssertEqual(failure("gallery([d], columns: 0)", in: session)?.message, "argument 'columns' of gallery must be 1 to 100, got 0")
        XCTAssertEqual(failure("gallery([])", in: session)?.message, "there are no images to show")
    }

    func testLargeTilesShrinkToTheTileSide() throws {
        let photo = try Image(width: 320, height: 200, channels: 3, value: 0.25)
        let tile = try SampleSet.tile(photo)
        XCTAssertEqual([tile.width, tile.height], [160, 100])
        // Area averaging keeps a flat colour flat.
        XCTAssertEqual(tile.color(x: 80, y: 50), Canvas(image: photo).color(x: 0, y: 0))
    }
}

/// `xs[low..high]` takes a slice of a list, both ends included like ranges.
final class ListSliceTests: XCTestCase {
    func testSliceKeepsBothEndsAndChecksTheRange() {
        XCTAssertEqual(result("[10, 11, 12, 13, 14][1..3]"), "[11, 12, 13]")
        XCTAssertEqual(result("[10, 11, 12][2..2]"), "[12]")
        XCTAssertEqual(failure("[10, 11, 12][1..3]")?.message, "slice 1..3 is out of range")
        XCTAssertEqual(failure("[10, 11, 12][2..1]")?.hint, "a slice must lie within 0..2")
    }
}
