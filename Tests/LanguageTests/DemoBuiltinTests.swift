import Foundation
import XCTest
import Engine
@testable import Language

/// autoencoder, codes, paint and painting through the language.
final class DemoBuiltinTests: XCTestCase {
    func testAutoencoderTrainsOnLabelledDigitsAndShowsItsPanel() throws {
        let session = Session()
        let digits = try MNISTDataset.load(.test).labeled(name: "mnist").subset(Array(0..<300))
        session.assign("d", .engine(.dataset(digits)))
        XCTAssertNil(run("seed(1)\nae = autoencoder(code: 2)", in: session).error)
        XCTAssertEqual(result("ae.layer_names", in: session),
                       "[\"fc1\", \"fc2\", \"fc3\", \"fc4\", \"fc5\", \"fc6\"]")
        let cell = run("h = train(ae, d, epochs: 2, batch: 50, optimizer: \"adam\", rate: 0.003)", in: session)
        XCTAssertNil(cell.error)
        // The curves (225 pixels) over the panel: the scatter (about 310 pixels) beside the tiles.
        let height = try XCTUnwrap(pictureSizes(cell).last?.1)
        XCTAssertTrue((500...600).contains(height), "\(height)")
        XCTAssertEqual(result("c = encode(ae, d)\nc.shape", in: session), "[300, 2]")
        XCTAssertEqual(result("encode(ae, d, layer: \"fc2\", count: 7).shape", in: session), "[7, 50]")
        XCTAssertNil(run("scatter(c, labels: d.label, names: d.classes)", in: session).error)
        let missing = try XCTUnwrap(failure("encode(ae, d, layer: \"code9\")", in: session))
        XCTAssertTrue(missing.message.contains("no layer 'code9'"), missing.message)
        XCTAssertNotNil(failure("autoencoder(code: 0)", in: session))
    }

    func testPaintReturnsANetworkThatPaintsAtAnySize() throws {
        let session = Session()
        let cell = run("seed(4)\nnet = paint(image(\"chelsea\"), size: 12, epochs: 2)", in: session)
        XCTAssertNil(cell.error)
        // The live picture: two 256-pixel-high pictures (the photo's aspect) under a header.
        let sizes = pictureSizes(cell)
        XCTAssertFalse(sizes.isEmpty)
        XCTAssertTrue(sizes.contains { $0.1 >= 256 + 52 }, "\(sizes)")
        XCTAssertEqual(result("p = painted(net, size: 20, aspect: 0.5)\n[p.width, p.height, p.channels]", in: session), "[20, 10, 3]")
        // The same seed paints the same bytes.
        XCTAssertNil(run("seed(4)\nnet2 = paint(image(\"chelsea\"), size: 12, epochs: 2)", in: session).error)
        guard case .engine(.picture(let first))? = session.variables["p"] else { return XCTFail("no painting") }
        XCTAssertNil(run("q = painted(net2, size: 20, aspect: 0.5)", in: session).error)
        guard case .engine(.picture(let second))? = session.variables["q"] else { return XCTFail("no painting") }
        XCTAssertEqual(first.image.pixels, second.image.pixels)
        XCTAssertNotNil(failure("painted(convnet(\"fc 10 softmax\"))", in: session))
        XCTAssertNotNil(failure("paint(image(\"chelsea\"), size: 2)", in: session))
    }
}
