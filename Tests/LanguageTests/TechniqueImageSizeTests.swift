import XCTest
@testable import Language

/// Every technique given a 2000 x 3 (or 3 x 2000) photo: a ValueError naming the image argument
/// and its size, pointing at it, never an internal "shape mismatch: conv2d"; and a map of the
/// network's centre crop is cut on the crop's part of a wide photo (skipped without the assets).
final class TechniqueImageSizeTests: XCTestCase {
    private func session() throws -> Session {
        if SampleImages().names.isEmpty { throw XCTSkip("assets are not fetched (run make setup)") }
        let session = Session()
        XCTAssertNil(run("""
        net = model()
        cat = image("chelsea", size: 227)
        wide = image("chelsea", size: [3, 2000])
        tall = image("chelsea", size: [2000, 3])
        x = 5
        """, in: session).error)
        return session
    }

    /// The column (1-based) where `marker` starts in `code`.
    private func column(of marker: String, in code: String) -> Int? {
        code.range(of: marker).map { code.distance(from: code.startIndex, to: $0.lowerBound) + 1 }
    }

    private func assertNamesImage(_ code: String, argument: String, size: String, at marker: String = "wide",
                                  in session: Session, file: StaticString = #filePath, line: UInt = #line) {
        guard let error = failure(code, in: session, file: file, line: line) else { return }
        XCTAssertEqual(error.kind, .value, "\(code): \(error)", file: file, line: line)
        XCTAssertTrue(["\(argument) is \(size): ", "\(argument) is \(size), which "].contains { error.message.hasPrefix($0) }, "\(code): \(error.message)", file: file, line: line)
        XCTAssertTrue(error.message.contains("is too small for squeezenet"), "\(code): \(error.message)", file: file, line: line)
        XCTAssertFalse(error.message.contains("shape mismatch"), "\(code): \(error.message)", file: file, line: line)
        // The caret is under the argument itself, not the whole call.
        XCTAssertEqual(error.span?.start.column, column(of: marker, in: code), "\(code)", file: file, line: line)
    }

    func testEveryTechniqueNamesTheImageThatIsTooSmall() throws {
        let session = try session()
        for call in ["saliency(net, wide)", "gradient(net, wide)", "guided(net, wide)", "deconv(net, wide)",
                     "cam(net, wide)", "gradcam(net, wide, layer: \"fire9\")", "occlusion(net, wide)",
                     "activations(net, wide, \"conv1\")", "adversarial(net, wide, class: \"goldfish\")",
                     "invert(net, wide, \"fire5\", steps: 1)", "texture(net, wide, steps: 1)",
                     "dream(net, wide, \"fire5\", steps: 1)"] {
            assertNamesImage(call, argument: "img", size: "2000x3", in: session)
        }
        assertNamesImage("style(net, wide, cat, steps: 1)", argument: "content", size: "2000x3", in: session)
        assertNamesImage("style(net, cat, wide, steps: 1)", argument: "style", size: "2000x3", in: session)
        assertNamesImage("features(net, [wide], \"pool5\")", argument: "images[0]", size: "2000x3", at: "[wide]", in: session)
        let tall = failure("dream(net, tall, \"fire5\", steps: 1)", in: session)
        XCTAssertTrue(tall?.message.hasPrefix("img is 3x2000, which dream scales to 1 px wide: the image's width (1 px)") ?? false, tall?.message ?? "")
        XCTAssertEqual(result("x", in: session), "5", "the session keeps its variables")
    }

    /// saliency() keeps where the network's crop lies in the photo; segment lays the map there. A
    /// map that does not say so and has another aspect ratio is refused, never stretched.
    func testSegmentLaysTheMapOnTheCropOfAWidePhoto() throws {
        let session = try session()
        XCTAssertNil(run("""
        photo = image("chelsea", size: [150, 300])
        s = saliency(net, photo)
        m = segment(photo, s)
        """, in: session).error)
        guard case .engine(.picture(let saliency))? = session.variables["s"],
              case .engine(.picture(let mask))? = session.variables["m"] else { return XCTFail("missing results") }
        // By hand: 300 x 150 -> shorter side 256 -> 512 x 256; the 227 crop starts at (142, 14),
        // i.e. (142, 14) / (512 / 300) = (83.2, 8.2) in the photo and spans 227 * 300 / 512 = 133.0.
        let region = try XCTUnwrap(saliency.region)
        XCTAssertEqual(region.x, 83.2, accuracy: 0.2)
        XCTAssertEqual(region.y, 8.2, accuracy: 0.2)
        XCTAssertEqual(region.width, 133.0, accuracy: 0.2)
        XCTAssertEqual(mask.array.shape, [150, 300])
        XCTAssertGreaterThan(mask.array.values.reduce(0, +), 0, "the cat is cut out")
        // tonemap keeps the region; a bare 227 x 227 map of unknown place is refused, naming map.
        XCTAssertNil(run("t = segment(photo, tonemap(s))", in: session).error)
        let stretched = failure("segment(photo, saliency(net, cat))", in: session)
        XCTAssertEqual(stretched?.kind, .value)
        XCTAssertTrue(stretched?.message.contains("227x227 image") ?? false, stretched?.message ?? "")
    }

    func testOcclusionStrideAboveWindowIsRefusedAtTheStride() throws {
        let session = try session()
        let code = "occlusion(net, cat, window: 8, stride: 16)"
        let error = failure(code, in: session)
        XCTAssertEqual(error?.kind, .value)
        XCTAssertTrue(error?.message.hasPrefix("stride 16 is larger than window 8") ?? false, error?.message ?? "")
        XCTAssertEqual(error?.span?.start.column, column(of: "16", in: code))
    }
}
