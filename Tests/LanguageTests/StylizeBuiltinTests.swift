import Foundation
import XCTest
import Engine
@testable import Language

/// `stylize`: results of the right size that differ by style, the mixed-style path equal to the
/// engine's, and errors naming the argument. Needs the multistyle26 asset (skipped without it).
/// Set CONVLENS_STYLIZE_PNG to a directory to keep the pictures for a look.
final class StylizeBuiltinTests: XCTestCase {
    private func requireAsset() throws {
        guard (try? AssetDirectory.file("weights/multistyle26.onnx")) != nil else {
            throw XCTSkip("asset weights/multistyle26.onnx is not fetched; run `make setup`")
        }
    }

    func testOneStyleMixedStylesAndTheGallery() throws {
        try requireAsset()
        let session = Session()
        let keep = ProcessInfo.processInfo.environment["CONVLENS_STYLIZE_PNG"]
        XCTAssertNil(run("c = image(\"chelsea\")\na = stylize(c, style: 7, size: 128)\nb = stylize(c, style: 20, size: 128)", in: session).error)
        guard case .engine(.picture(let a))? = session.variables["a"], case .engine(.picture(let b))? = session.variables["b"] else {
            return XCTFail("stylize gave no pictures")
        }
        // chelsea is 451 x 300: longer side 128 -> 128 x 85, rounded down to multiples of 4.
        XCTAssertEqual([a.image.width, a.image.height], [128, 84])
        XCTAssertEqual(a.title, "chelsea in style 7")
        let difference = zip(a.image.pixels, b.image.pixels).map { Swift.abs($0 - $1) }.reduce(0, +) / Float(a.image.pixels.count)
        XCTAssertGreaterThan(difference, 0.05, "two styles should look different")

        // Weights mixing styles 7 and 20 equally, through the language and through the engine.
        var weights = [String](repeating: "0", count: 26)
        weights[7] = "1"
        weights[20] = "1"
        XCTAssertNil(run("m = stylize(c, style: [\(weights.joined(separator: ", "))], size: 128)", in: session).error)
        guard case .engine(.picture(let mixed))? = session.variables["m"], case .engine(.picture(let photo))? = session.variables["c"] else {
            return XCTFail("no mixed picture")
        }
        XCTAssertEqual(mixed.title, "chelsea in style mix of 7, 20")
        var half = [Float](repeating: 0, count: 26)
        half[7] = 0.5
        half[20] = 0.5
        let engine = try FastStyleTransfer().stylize(photo.image, weights: half, longerSide: 128)
        XCTAssertEqual(mixed.image.pixels, engine.pixels)

        XCTAssertNil(run("g = stylize(c, size: 64)", in: session).error)
        guard case .engine(.picture(let gallery))? = session.variables["g"] else { return XCTFail("no gallery") }
        XCTAssertGreaterThan(gallery.image.width, 7 * 100)
        if let keep {
            XCTAssertNil(run("save(a, \"\(keep)/style7.png\")\nsave(b, \"\(keep)/style20.png\")\nsave(m, \"\(keep)/mix.png\")\nsave(g, \"\(keep)/gallery.png\")", in: session).error)
        }
    }

    func testErrorsNameTheArgument() throws {
        try requireAsset()
        let session = Session()
        XCTAssertNil(run("c = image(\"chelsea\")", in: session).error)
        let outside = failure("stylize(c, style: 26)", in: session)
        XCTAssertTrue(outside?.message.contains("0 to 25") == true, "\(String(describing: outside))")
        let short = failure("stylize(c, style: [1, 0, 0])", in: session)
        XCTAssertTrue(short?.message.contains("26 values") == true, "\(String(describing: short))")
        let zeros = failure("stylize(c, style: [\([String](repeating: "0", count: 26).joined(separator: ", "))])", in: session)
        XCTAssertTrue(zeros?.message.contains("all zero") == true, "\(String(describing: zeros))")
        let negative = failure("stylize(c, style: [-1\(String(repeating: ", 1", count: 25))])", in: session)
        XCTAssertTrue(negative?.message.contains("non-negative") == true, "\(String(describing: negative))")
        let tiny = failure("stylize(image(\"chelsea\", size: 12), style: 1)", in: session)
        XCTAssertTrue(tiny?.message.contains("too small") == true, "\(String(describing: tiny))")
        let small = failure("stylize(c, style: 1, size: 20)", in: session)
        XCTAssertTrue(small?.message.contains("too small") == true && small?.message.contains("at least 16") == true, "\(String(describing: small))")
    }
}
