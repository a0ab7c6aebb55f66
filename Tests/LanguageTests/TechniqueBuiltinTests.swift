import XCTest
@testable import Language

/// The technique builtins on SqueezeNet and chelsea (skipped without the fetched assets).
final class TechniqueBuiltinTests: XCTestCase {
    private func session() throws -> Session {
        if SampleImages().names.isEmpty { throw XCTSkip("assets are not fetched (run make setup)") }
        let session = Session()
        XCTAssertNil(run("net = model()\ncat = image(\"chelsea\")", in: session).error)
        return session
    }

    private func numbersShape(_ name: String, in session: Session) -> [Int]? {
        guard case .engine(.picture(let picture))? = session.variables[name] else { return nil }
        return picture.array.shape
    }

    func testSaliencyKeepsTheMapAtInputResolution() throws {
        let session = try session()
        let cell = run("s = saliency(net, cat, class: \"tabby\")\ns", in: session)
        XCTAssertNil(cell.error)
        XCTAssertEqual(numbersShape("s", in: session), [227, 227])
        XCTAssertTrue(cell.resultText?.hasPrefix("saliency of class 281") ?? false, cell.resultText ?? "")
        guard case .success(let bundle?, _) = cell.outcome else { return XCTFail() }
        XCTAssertNotNil(bundle.data["image/png"])
    }

    func testClassMapsAndOcclusion() throws {
        let session = try session()
        XCTAssertNil(run("c = cam(net, cat, class: 281)\ng = gradcam(net, cat, class: 281, layer: \"conv10\")", in: session).error)
        let camShape = numbersShape("c", in: session)
        XCTAssertEqual(camShape, numbersShape("g", in: session), "CAM and Grad-CAM at conv10 share a resolution")
        let output = RecordingOutput()
        XCTAssertNil({ if case .failure(let e, _) = session.execute("o = occlusion(net, cat, window: 76, stride: 76)", output: output) { return e } else { return nil } }())
        XCTAssertEqual(numbersShape("o", in: session), [3, 3], "squares at 0 and 76, then one flush with the edge at 227 - 76 = 151")
        XCTAssertEqual(output.displays.count, 1, "progress shows once and then updates in place")
        XCTAssertEqual(failure("gradcam(net, cat, layer: \"fir9\")", in: session)?.hint, "did you mean 'fire9'?")
    }

    func testActivationsAndGuided() throws {
        let session = try session()
        XCTAssertNil(run("a = activations(net, cat, \"conv1\", channels: 0..3)", in: session).error)
        XCTAssertEqual(numbersShape("a", in: session)?.first, 4)
        XCTAssertEqual(failure("activations(net, cat, \"conv1\", channels: [64])", in: session)?.message,
                       "conv1 has channels 0 to 63, not 64")
        XCTAssertEqual(failure("guided(net, cat, layer: \"fire9\")", in: session)?.message, "guided from a layer needs a channel")
        XCTAssertNil(run("gg = gradcam(net, cat, class: \"tabby\", layer: \"fire9\", guided: true)", in: session).error)
        XCTAssertEqual(numbersShape("gg", in: session), [227, 227, 3])
    }
}

extension TechniqueBuiltinTests {
    private func picture(_ name: String, in session: Session) -> Picture? {
        guard case .engine(.picture(let picture))? = session.variables[name] else { return nil }
        return picture
    }

    func testOcclusionFillChangesTheNumbersAndRejectsNonsense() throws {
        let session = try session()
        XCTAssertNil(run("""
        m = occlusion(net, cat, window: 76, stride: 76)
        z = occlusion(net, cat, window: 76, stride: 76, fill: "zero")
        w = occlusion(net, cat, window: 76, stride: 76, fill: 1)
        """, in: session).error)
        let mean = try XCTUnwrap(picture("m", in: session)?.array.values)
        let zero = try XCTUnwrap(picture("z", in: session)?.array.values)
        let white = try XCTUnwrap(picture("w", in: session)?.array.values)
        XCTAssertEqual(mean.count, 9)
        XCTAssertNotEqual(mean, zero, "a different fill hides the square differently")
        XCTAssertNotEqual(zero, white)
        let error = failure("occlusion(net, cat, fill: 2)", in: session)
        XCTAssertEqual(error?.kind, .value)
        XCTAssertEqual(error?.message, "fill must be \"mean\", \"zero\" or a grey level from 0 to 1, got 2.0")
        XCTAssertNotNil(session.variables["m"], "earlier variables survive the error")
    }

    func testFiltersCountAndInputsLimitWhatIsDrawnNotTheNumbers() throws {
        let session = try session()
        XCTAssertNil(run("""
        lenet = model("lenet_mnist")
        few = filters(lenet, "conv2", count: 4, inputs: 3)
        more = filters(lenet, "conv2", count: 4)
        """, in: session).error)
        let few = try XCTUnwrap(picture("few", in: session)), more = try XCTUnwrap(picture("more", in: session))
        XCTAssertEqual(few.array.shape, [4, 32, 3, 3], "every input channel's weights are kept")
        XCTAssertEqual(few.array.values, more.array.values)
        XCTAssertLessThan(few.image.width, more.image.width, "3 tiles a row instead of 16")
        XCTAssertEqual(failure("filters(lenet, \"conv2\", count: 0)", in: session)?.message, "argument 'count' of filters must be 1 to 4096, got 0")
    }

    func testVisualizeRaisesTheClassScoreAndFormsInPlace() throws {
        let session = try session()
        let output = RecordingOutput()
        let outcome = session.execute("seed(2)\nv = visualize(net, class: \"goldfish\", steps: 10)", output: output)
        if case .failure(let error, _) = outcome { return XCTFail(error.message) }
        let picture = try XCTUnwrap(picture("v", in: session))
        XCTAssertEqual(picture.array.shape, [227, 227, 3])
        XCTAssertEqual(picture.image.width, 227, "the image itself, not its captioned drawing")
        XCTAssertGreaterThan(picture.drawn.height, 227, "shown with a title and a caption")
        XCTAssertTrue(picture.title.hasPrefix("visualization of class 1 goldfish (l2++)"), picture.title)
        // The snapshot at step 10 is one picture shown under one display id, updated in place.
        var ids = Set<String>()
        var pictures = 0
        for event in output.events {
            switch event {
            case .display(let bundle, let id?), .update(let bundle, let id):
                // The stop button's row is a display of its own (a widget view, emptied at the end).
                if bundle.data["image/png"] != nil {
                    ids.insert(id)
                    pictures += 1
                    // The frame itself says how far along it is (JupyterLab shows the PNG, not the text).
                    let metadata = bundle.metadata["image/png"] as? [String: Any]
                    XCTAssertGreaterThan(metadata?["height"] as? Int ?? 0, 227, "a caption strip under the frame")
                    XCTAssertTrue((metadata?["alt"] as? String)?.contains(": step ") ?? false)
                }
            default: break
            }
        }
        XCTAssertEqual(ids.count, 1)
        XCTAssertGreaterThanOrEqual(pictures, 1)
        // Ten steps of ascent raise goldfish's score: the picture's own numbers, run back through the net.
        XCTAssertNil(run("s = logits(net, v)[1]\nz = logits(net, image(\"chelsea\"))[1]", in: session).error)
        guard case .number(let raised)? = session.variables["s"], case .number(let photo)? = session.variables["z"] else {
            return XCTFail("scores missing")
        }
        XCTAssertGreaterThan(raised, photo + 20, "goldfish scores \(raised) on the visualization, \(photo) on chelsea")
        XCTAssertEqual(failure("visualize(net)", in: session)?.message, "visualize needs a class, or a layer (with a channel or a neuron)")
        XCTAssertEqual(failure("visualize(net, layer: \"fire9\", channel: 512)", in: session)?.message,
                       "fire9 has channels 0 to 511, not 512")
    }

    func testDreamFitsTheSizeAndKeepsAnImageToDreamOnAgain() throws {
        let session = try session()
        XCTAssertNil(run("seed(1)\nd = dream(net, cat, \"fire3\", steps: 2, octaves: 2, size: 96)\ne = dream(net, d, \"fire3\", steps: 1, octaves: 1, size: 96)", in: session).error)
        let dreamed = try XCTUnwrap(picture("d", in: session))
        // chelsea is 451 x 300: the longer side becomes 96, the shorter 300 * 96 / 451 = 63.9 -> 64.
        XCTAssertEqual([dreamed.image.width, dreamed.image.height], [96, 64])
        XCTAssertEqual(picture("e", in: session)?.image.width, 96)
        XCTAssertTrue(dreamed.title.hasPrefix("DeepDream at fire3 on chelsea"), dreamed.title)
        XCTAssertEqual(failure("dream(net, cat, \"fire3\", octaves: 9)", in: session)?.message, "argument 'octaves' of dream must be 1 to 8, got 9")
        XCTAssertEqual(failure("dream(net, cat, \"fire33\")", in: session)?.kind, .value)
    }

    /// A known property: within the same budget (0.3 on MNIST, the one advertorch trained with), the
    /// plainly trained LeNet is fooled and the adversarially trained one is not.
    func testAdversarialFoolsThePlainLeNetButNotTheRobustOne() throws {
        let session = try session()
        XCTAssertNil(run("""
        plain = model("lenet_mnist")
        robust = model("lenet_mnist_adv")
        seven = mnist(count: 1).image[0]
        a = adversarial(plain, seven, class: 3, epsilon: 77)
        b = adversarial(robust, seven, class: 3, epsilon: 77)
        """, in: session).error)
        let fooled = try XCTUnwrap(picture("a", in: session)), resisted = try XCTUnwrap(picture("b", in: session))
        XCTAssertTrue(fooled.title.contains("fooled into class 3"), fooled.title)
        XCTAssertFalse(fooled.title.contains("not fooled"), fooled.title)
        XCTAssertTrue(resisted.title.contains("not fooled into class 3 in 100 steps"), resisted.title)
        XCTAssertEqual([fooled.image.width, fooled.image.height], [28, 28])
        XCTAssertNil(run("c = classify(plain, a, top: 1)", in: session).error)
        guard case .table(let table)? = session.variables["c"] else { return XCTFail("no table") }
        XCTAssertEqual(table.rows.first?.first?.integerValue, 3, "classifying the result gives the target")
        XCTAssertEqual(failure("adversarial(plain, seven, class: 3, epsilon: 0)", in: session)?.message,
                       "argument 'epsilon' of adversarial must be above 0 and at most 255, got 0")
    }

    func testInvertTextureAndStyleMakeImagesOfTheRequestedSize() throws {
        let session = try session()
        XCTAssertNil(run("""
        seed(4)
        i = invert(net, cat, "fire3", steps: 2)
        j = invert(net, cat, "fire3", steps: 2, size: 96)
        t = texture(net, image("starry_night"), steps: 2, size: 48)
        s = style(net, cat, image("starry_night"), steps: 2, size: 64, layers: ["conv1", "fire2"])
        """, in: session).error)
        XCTAssertEqual(picture("i", in: session).map { [$0.image.width, $0.image.height] }, [227, 227])
        XCTAssertEqual(picture("j", in: session).map { [$0.image.width, $0.image.height] }, [96, 96])
        XCTAssertEqual(picture("t", in: session).map { [$0.image.width, $0.image.height] }, [48, 48])
        // chelsea is 451 x 300: the longer side becomes 64, the shorter 300 * 64 / 451 = 42.6 -> 43.
        XCTAssertEqual(picture("s", in: session).map { [$0.image.width, $0.image.height] }, [64, 43])
        XCTAssertEqual(failure("style(net, cat, cat, layers: [\"logits\"])", in: session)?.message,
                       "'logits' is not a spatial layer of squeezenet")
        XCTAssertEqual(failure("texture(net, cat, size: 8)", in: session)?.message, "argument 'size' of texture must be 32 to 1024, got 8")
    }

    func testEveryMapTakesAToneModeAndTonemapRedrawsGradients() throws {
        let session = try session()
        XCTAssertNil(run("""
        a = cam(net, cat, class: 281)
        b = cam(net, cat, class: 281, mode: "percentile")
        g = gradient(net, cat, class: 281)
        h = gradient(net, cat, class: 281, mode: "symmetric")
        t = tonemap(g, mode: "symmetric")
        """, in: session).error)
        let a = try XCTUnwrap(picture("a", in: session)), b = try XCTUnwrap(picture("b", in: session))
        XCTAssertEqual(a.array.values, b.array.values, "the mode changes the drawing, never the numbers")
        XCTAssertNotEqual(a.image.pixels, b.image.pixels)
        let g = try XCTUnwrap(picture("g", in: session)), h = try XCTUnwrap(picture("h", in: session))
        XCTAssertEqual(g.array.values, h.array.values)
        XCTAssertNotEqual(g.image.pixels, h.image.pixels)
        XCTAssertEqual(picture("t", in: session)?.array.shape, [227, 227, 3], "tonemap keeps a colour gradient's numbers")
        XCTAssertEqual(failure("cam(net, cat, mode: \"loud\")", in: session)?.kind, .value)
    }
}

final class UnitBuiltinTests: XCTestCase {
    func testFiltersPatchesNeighborsAndSegment() throws {
        if SampleImages().names.isEmpty { throw XCTSkip("assets are not fetched (run make setup)") }
        let session = Session()
        let cell = run("""
        net = model()
        cat = image("chelsea")
        f = filters(net, "conv1")
        p = patches(net, [cat, image("coffee")], "conv1", 3, top: 2)
        n = neighbors(net, cat, [image("coffee"), image("chelsea")], "pool5", k: 1)
        small = image("chelsea", size: 48)
        m = segment(small, saliency(net, small))
        [f.width > 0, len(p.width) == 0]
        """, in: session)
        XCTAssertEqual(cell.error?.message ?? "", "number has no length")
        guard case .engine(.picture(let filters))? = session.variables["f"],
              case .engine(.picture(let patches))? = session.variables["p"],
              case .engine(.picture(let neighbors))? = session.variables["n"],
              case .engine(.picture(let mask))? = session.variables["m"] else { return XCTFail("missing results") }
        XCTAssertEqual(filters.array.shape, [64, 3, 3, 3])
        XCTAssertEqual(patches.array.shape, [2])
        XCTAssertEqual(neighbors.array.shape, [2])
        XCTAssertEqual(neighbors.array.values[1], 0, accuracy: 1e-3, "chelsea is at distance 0 from itself")
        XCTAssertEqual(mask.array.shape, [48, 48])
        XCTAssertTrue(mask.array.values.allSatisfy { $0 == 0 || $0 == 1 })
    }

    /// A list of queries: one row each, each query left out of its own search (NaN), and the
    /// other distances those of the one-query form.
    func testNeighborsOfSeveralQueriesLeaveEachQueryOut() throws {
        if SampleImages().names.isEmpty { throw XCTSkip("assets are not fetched (run make setup)") }
        let session = Session()
        XCTAssertNil(run("""
        net = model()
        cat = image("chelsea")
        cup = image("coffee")
        set = [cup, cat, image("dog")]
        g = neighbors(net, [1, 0], set, "fire9", k: 2, pool: "mean")
        one = neighbors(net, cat, set, "fire9", k: 2, pool: "mean")
        """, in: session).error)
        guard case .engine(.picture(let grid))? = session.variables["g"],
              case .engine(.picture(let one))? = session.variables["one"] else { return XCTFail("missing results") }
        XCTAssertEqual(grid.array.shape, [2, 3])
        let d = grid.array.values
        // Row 0 is the cat (image 1): its distances equal the one-query form's; its own entry is 0
        // and it is not among its neighbours.
        XCTAssertEqual(d[0], one.array.values[0], accuracy: 1e-4)
        XCTAssertEqual(d[2], one.array.values[2], accuracy: 1e-4)
        XCTAssertEqual(d[1], 0, accuracy: 1e-3)
        XCTAssertEqual(d[3], 0, accuracy: 1e-3, "the cup's distance to itself")
        let neighbours = grid.curves["neighbors"] ?? []
        XCTAssertEqual(neighbours.count, 4)
        XCTAssertFalse(neighbours[0..<2].contains(1), "the cat is left out of its own search: \(neighbours)")
        XCTAssertFalse(neighbours[2..<4].contains(0), "the cup is left out of its own search: \(neighbours)")
        XCTAssertEqual(one.array.values[1], 0, accuracy: 1e-3, "the one-query form keeps the query")
    }

    /// box: [x, y, w, h] keeps the mask inside the rectangle; true finds one; a bad one names box.
    func testSegmentTakesGrabCutsBox() throws {
        if SampleImages().names.isEmpty { throw XCTSkip("assets are not fetched (run make setup)") }
        let session = Session()
        XCTAssertNil(run("""
        net = model()
        small = image("chelsea", size: [40, 60])
        s = saliency(net, small)
        a = segment(small, s, box: [10, 5, 30, 40])
        b = segment(small, s, box: true, blur: 0)
        """, in: session).error)
        guard case .engine(.picture(let boxed))? = session.variables["a"],
              case .engine(.picture(let found))? = session.variables["b"] else { return XCTFail("missing results") }
        XCTAssertEqual(boxed.array.shape, [40, 60])
        var outside: Float = 0
        for y in 0..<40 {
            for x in 0..<60 where !(10..<40).contains(x) || !(5..<45).contains(y) { outside += boxed.array.values[y * 60 + x] }
        }
        XCTAssertEqual(outside, 0, "nothing outside the box is foreground")
        XCTAssertGreaterThan(found.array.values.reduce(0, +), 0)
        let bad = failure("segment(small, s, box: [1, 2, 3])", in: session)
        XCTAssertTrue(bad?.message.hasPrefix("box must be [x, y, width, height]") ?? false, bad?.message ?? "")
        let off = failure("segment(small, s, box: [500, 0, 10, 10])", in: session)
        XCTAssertTrue(off?.message.contains("box covers none") ?? false, off?.message ?? "")
    }
}
