import XCTest
@testable import Language

/// The options course notebook 000 uses: tonemap side by side and of one activation map,
/// saliency of a probability, patches of chosen channels with their sources, receptive fields
/// and guided backpropagation (skipped without the fetched assets).
final class NotebookDemoBuiltinTests: XCTestCase {
    private func session() throws -> Session {
        if SampleImages().names.isEmpty { throw XCTSkip("assets are not fetched (run make setup)") }
        let session = Session()
        XCTAssertNil(run("net = model()\ncat = image(\"chelsea\")\ncoffee = image(\"coffee\")", in: session).error)
        return session
    }

    private func picture(_ name: String, in session: Session) -> Picture? {
        guard case .engine(.picture(let picture))? = session.variables[name] else { return nil }
        return picture
    }

    private func tensor(_ name: String, in session: Session) -> [Float]? {
        guard case .engine(.tensor(let tensor))? = session.variables[name] else { return nil }
        return Array(tensor.data.prefix(tensor.count))
    }

    /// Two modes draw two panels of the same numbers; a channel of activations is its slice.
    func testToneMapSideBySideAndOneChannelOfAStack() throws {
        let session = try session()
        XCTAssertNil(run("""
        a = activations(net, coffee, "conv1", channels: 0..3)
        one = tonemap(a, channel: 2)
        both = tonemap(a, channel: 2, mode: ["minmax", "clip"])
        """, in: session).error)
        let stack = try XCTUnwrap(picture("a", in: session)?.array)
        let (height, width) = (stack.shape[1], stack.shape[2])
        let slice = Array(stack.values[(2 * height * width)..<(3 * height * width)])
        let one = try XCTUnwrap(picture("one", in: session))
        let both = try XCTUnwrap(picture("both", in: session))
        XCTAssertEqual(one.array.shape, [height, width])
        XCTAssertEqual(one.array.values, slice)
        XCTAssertEqual(both.array.values, slice)
        XCTAssertTrue(both.title.contains("minmax vs clip"), both.title)
        XCTAssertGreaterThan(both.image.width, one.image.width * 3 / 2, "two panels side by side")
        XCTAssertEqual(failure("tonemap(a, channel: 4)", in: session)?.message, "activations of conv1 on coffee holds maps 0 to 3, not 4")
        XCTAssertEqual(failure("tonemap(a, mode: [\"minmax\", \"log\"])", in: session)?.kind, .value)
        XCTAssertEqual(failure("tonemap(a, mode: [])", in: session)?.kind, .type)
    }

    /// The probability's saliency is another map, titled P(...), and smaller where p is small.
    func testSaliencyOfAProbability() throws {
        let session = try session()
        XCTAssertNil(run("""
        s = saliency(net, cat, class: "goldfish")
        p = saliency(net, cat, class: "goldfish", objective: "probability")
        """, in: session).error)
        let score = try XCTUnwrap(picture("s", in: session))
        let probability = try XCTUnwrap(picture("p", in: session))
        XCTAssertTrue(probability.title.hasPrefix("saliency of P(class 1 goldfish)"), probability.title)
        // P(goldfish | chelsea) is far below 1e-3, so its gradient is orders of magnitude below the score's.
        let scoreMax = score.array.values.max() ?? 0, probabilityMax = probability.array.values.max() ?? 1
        XCTAssertGreaterThan(scoreMax, 0)
        XCTAssertLessThan(probabilityMax, scoreMax * 1e-3)
        XCTAssertGreaterThan(probabilityMax, 0)
    }

    /// A list of channels gives one row each; p.sources names each patch's image, checked
    /// against the images' own channel maxima from activations().
    func testPatchesOfChosenChannelsKnowTheirImages() throws {
        let session = try session()
        XCTAssertNil(run("""
        imgs = [coffee, cat]
        p = patches(net, imgs, "fire3", [5, 9], top: 2)
        src = p.sources
        g = patches(net, imgs, "fire3", [5, 9], top: 2, context: true, guided: true)
        a0 = activations(net, coffee, "fire3", channels: [5, 9])
        a1 = activations(net, cat, "fire3", channels: [5, 9])
        """, in: session).error)
        let patches = try XCTUnwrap(picture("p", in: session))
        XCTAssertEqual(patches.array.shape, [2, 2])
        let sources = try XCTUnwrap(tensor("src", in: session))
        XCTAssertEqual(sources.count, 4)
        let stacks = [try XCTUnwrap(picture("a0", in: session)?.array), try XCTUnwrap(picture("a1", in: session)?.array)]
        for row in 0..<2 {
            let maxima = stacks.map { stack -> Float in
                let size = stack.shape[1] * stack.shape[2]
                return stack.values[(row * size)..<((row + 1) * size)].max() ?? 0
            }
            // per_image 1: each image gives its own maximum, the larger first.
            let first = maxima[0] >= maxima[1] ? 0 : 1
            XCTAssertEqual(Int(sources[row * 2]), first, "row \(row)")
            XCTAssertEqual(Int(sources[row * 2 + 1]), 1 - first, "row \(row)")
            XCTAssertEqual(patches.array.values[row * 2], maxima[first], accuracy: 1e-3 * maxima[first])
        }
        let views = try XCTUnwrap(picture("g", in: session))
        XCTAssertEqual(views.array.values, patches.array.values, "the same patches, with two views beside each")
        XCTAssertGreaterThan(views.image.width, patches.image.width * 2)
        XCTAssertEqual(failure("patches(net, imgs, \"fire3\", [5, -1])", in: session)?.message, "channel -1 is negative")
        XCTAssertEqual(failure("patches(net, imgs, \"fire3\", [])", in: session)?.message, "no channels given")
    }

    /// Queries by index: each is left out of its own search, so a duplicate is its nearest
    /// (distance 0), and the distances match the single-query search.
    func testNeighborsOfSeveralQueriesLeaveEachOut() throws {
        let session = try session()
        XCTAssertNil(run("""
        imgs = [cat, coffee, cat, image("astronaut")]
        n = neighbors(net, [0, 1], imgs, "fire9", k: 2, pool: "mean")
        found = n.neighbors
        one = neighbors(net, coffee, imgs, "fire9", k: 2, pool: "mean")
        """, in: session).error)
        let grid = try XCTUnwrap(picture("n", in: session))
        XCTAssertEqual(grid.array.shape, [2, 4])
        let found = try XCTUnwrap(tensor("found", in: session))
        XCTAssertEqual(found.count, 4)
        XCTAssertEqual(found[0], 2, "chelsea's nearest other image is its copy")
        XCTAssertEqual(grid.array.values[2], 0, accuracy: 1e-4)
        XCTAssertNotEqual(found[2], 1, "coffee is left out of its own search")
        XCTAssertNotEqual(found[3], 1)
        let single = try XCTUnwrap(picture("one", in: session)).array.values
        for index in 0..<4 { XCTAssertEqual(grid.array.values[4 + index], single[index], accuracy: 1e-3) }
        XCTAssertEqual(failure("neighbors(net, [4], imgs, \"fire9\")", in: session)?.message,
                       "query 4 is not an index into the 4 images (0 to 3)")
    }
}
