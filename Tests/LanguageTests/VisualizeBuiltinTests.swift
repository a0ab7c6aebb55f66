import XCTest
@testable import Language
import Engine

/// visualize's objectives, starts, regularizers and presets through the language, on SqueezeNet
/// (skipped without the fetched assets).
final class VisualizeBuiltinTests: XCTestCase {
    private func session() throws -> Session {
        if SampleImages().names.isEmpty { throw XCTSkip("assets are not fetched (run make setup)") }
        let session = Session()
        XCTAssertNil(run("net = model()\ncat = image(\"chelsea\")", in: session).error)
        return session
    }

    private func tensor(_ name: String, in session: Session) -> [Float]? {
        guard case .engine(.tensor(let tensor))? = session.variables[name] else { return nil }
        return Array(tensor.data.prefix(tensor.count))
    }

    private func picture(_ name: String, in session: Session) -> Picture? {
        guard case .engine(.picture(let picture))? = session.variables[name] else { return nil }
        return picture
    }

    /// Each objective runs and climbs; the curves are members with steps + 1 values.
    func testEveryObjectiveClimbsAndKeepsItsCurve() throws {
        let session = try session()
        let cells = [
            "v = visualize(net, class: \"flamingo\", steps: 4, start: \"zeros\")",
            "v = visualize(net, class: \"flamingo\", objective: \"probability\", steps: 4, start: cat)",
            "v = visualize(net, layer: \"logits\", neuron: [130], steps: 4)",
            "v = visualize(net, layer: \"fire5\", channel: 3, steps: 4, regularizer: \"l2++\", preset: 3)",
            "v = visualize(net, layer: \"fire3\", steps: 4, regularizer: \"none\")",
            "v = visualize(net, class: \"flamingo\", steps: 4, regularizer: \"fourier\")",
        ]
        for cell in cells {
            XCTAssertNil(run("seed(1)\n" + cell + "\no = v.objective", in: session).error, cell)
            let objective = try XCTUnwrap(tensor("o", in: session), cell)
            XCTAssertEqual(objective.count, 5, cell)
            XCTAssertGreaterThan(objective[4], objective[0], cell)
            XCTAssertEqual(picture("v", in: session)?.image.width, 227, cell)
        }
        XCTAssertNil(run("seed(1)\nv = visualize(net, class: \"flamingo\", steps: 3)\nl = v.logit\nr = v.others", in: session).error)
        XCTAssertEqual(tensor("l", in: session)?.count, 4)
        XCTAssertEqual(tensor("r", in: session)?.count, 4)
    }

    func testSameSeedSameBytesWithFourier() throws {
        let session = try session()
        XCTAssertNil(run("seed(5)\na = visualize(net, class: 130, steps: 3, regularizer: \"fourier\")\nseed(5)\nb = visualize(net, class: 130, steps: 3, regularizer: \"fourier\")",
                         in: session).error)
        let (a, b) = (try XCTUnwrap(picture("a", in: session)), try XCTUnwrap(picture("b", in: session)))
        XCTAssertEqual(a.image.pixels, b.image.pixels)
        XCTAssertEqual(try a.pngData(), try b.pngData())
    }

    func testBadArgumentsSayWhatAndWhere() throws {
        let session = try session()
        XCTAssertEqual(failure("visualize(net, layer: \"fire5\", neuron: [3, 6])", in: session)?.message,
                       "fire5 has shape [256, 28, 28]: a neuron is [c, y, x], not 2 numbers")
        XCTAssertEqual(failure("visualize(net, layer: \"fire5\", neuron: [3, 6, 28])", in: session)?.message,
                       "x = 28 is outside 0 to 27 of fire5 [256, 28, 28]")
        XCTAssertEqual(failure("visualize(net, class: 1, regularizer: \"fourier\", preset: 2)", in: session)?.message,
                       "preset chooses one of Yosinski et al.'s l2++ settings; it goes with regularizer: \"l2++\", not \"fourier\"")
        XCTAssertEqual(failure("visualize(net, class: 1, start: \"ones\")", in: session)?.message,
                       "start is \"zeros\", \"noise\" or an image, not \"ones\"")
        XCTAssertEqual(failure("visualize(net, channel: 3)", in: session)?.message, "channel needs a layer")
        XCTAssertEqual(failure("visualize(net, layer: \"fire5\", objective: \"probability\")", in: session)?.message,
                       "objective chooses between a class's score and probability; a layer has neither")
    }
}
