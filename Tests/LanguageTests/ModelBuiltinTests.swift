import XCTest
import Engine
@testable import Language

final class ModelBuiltinTests: XCTestCase {
    func testClassifyIsTheSoftmaxOfTheLogits() throws {
        let session = try ToyNetwork.session()
        // Logits: channel means 0.5, 0.25, 1 and a constant 0.
        let exps = [0.5, 0.25, 1, 0].map { exp($0) }
        let total = exps.reduce(0, +)
        XCTAssertNil(run("t = classify(net, img, top: 2)", in: session).error)
        guard case .table(let table)? = session.variables["t"] else { return XCTFail("classify gave no table") }
        XCTAssertEqual(table.columns, ["index", "class", "probability"])
        XCTAssertEqual(table.rows.count, 2)
        XCTAssertTrue(table.rows[0][0].isEqual(to: .number(2)))
        XCTAssertTrue(table.rows[0][1].isEqual(to: .string("crane")))
        guard case .number(let top) = table.rows[0][2], case .number(let second) = table.rows[1][2] else { return XCTFail() }
        XCTAssertEqual(top, exps[2] / total, accuracy: 1e-6)
        XCTAssertEqual(second, exps[0] / total, accuracy: 1e-6)
        XCTAssertEqual(result("t.index", in: session), "[2, 0]")
    }

    func testLogitsAreATensorWithArithmetic() throws {
        let session = try ToyNetwork.session()
        XCTAssertEqual(result("s = logits(net, img)\ns.shape", in: session), "[4]")
        XCTAssertEqual(result("s[1]", in: session), "0.25")
        XCTAssertEqual(result("(s * 2 + 1)[2]", in: session), "3")
        XCTAssertEqual(result("(s - s)[0]", in: session), "0")
        XCTAssertEqual(result("(-s)[0]", in: session), "-0.5")
        XCTAssertEqual(failure("s + \"a\"", in: session)?.kind, .type)
    }

    func testModelValueShowsItsLayers() throws {
        let session = try ToyNetwork.session()
        let bundle = run("net", in: session)
        XCTAssertTrue(bundle.resultText?.hasPrefix("model toy (input 3x2x2, 2 layers, 4 classes)") ?? false)
        XCTAssertEqual(result("layers(net).layer", in: session), "[\"pixels\", \"means\"]")
        XCTAssertEqual(result("layers(net).receptive_field", in: session), "[1, 2]")
        XCTAssertEqual(result("net.name", in: session), "\"toy\"")
        XCTAssertEqual(failure("net[\"pixel\"]", in: session)?.hint, "did you mean 'pixels'?")
    }

    func testArgumentTypesAreChecked() throws {
        let session = try ToyNetwork.session()
        let error = failure("classify(img, net)", in: session)
        XCTAssertEqual(error?.message, "argument 'net' of classify expects a model (from model()), got image toy: image 2x2 RGB")
        XCTAssertEqual(error?.span?.start.column, 10)
        XCTAssertEqual(failure("classify(net, img, top: 0)", in: session)?.message, "argument 'top' of classify must be at least 1, got 0")
        XCTAssertEqual(failure("classify(net, img, topp: 3)", in: session)?.hint, "did you mean 'top'? valid names: net, img, top")
    }

    func testClassNamesByIndexNameAndSynonym() throws {
        let resolver = ClassResolver(classNames: ToyNetwork().classNames)
        XCTAssertEqual(try resolver.resolve(.string("tabby")), 0)
        XCTAssertEqual(try resolver.resolve(.string("Tabby Cat")), 0)
        XCTAssertEqual(try resolver.resolve(.string("3")), 3)
        XCTAssertEqual(try resolver.resolve(.number(3)), 3)
        XCTAssertThrowsError(try resolver.resolve(.string("crane"))) { error in
            XCTAssertEqual((error as? LensError)?.message, "'crane' names 2 classes")
            XCTAssertEqual((error as? LensError)?.hint, "use an index: 1 \"crane\", 2 \"crane\"")
        }
        XCTAssertThrowsError(try resolver.resolve(.string("cat"))) { error in
            XCTAssertEqual((error as? LensError)?.hint, "closest: 0 \"tabby, tabby cat\", 3 \"tiger cat\"")
        }
        XCTAssertThrowsError(try resolver.resolve(.string("tabbyy"))) { error in
            XCTAssertEqual((error as? LensError)?.hint, "closest: 0 \"tabby, tabby cat\"")
        }
        XCTAssertThrowsError(try resolver.resolve(.number(4))) { error in
            XCTAssertEqual((error as? LensError)?.hint, "classes are numbered 0 to 3")
        }
    }

    func testLayerAndClassStringsCompleteFromTheModelVariable() throws {
        let session = try ToyNetwork.session()
        session.registry.register(Builtin("probe", family: "Test", parameters: [
            Parameter("net", .model, doc: ""), Parameter("layer", .layerName, doc: ""), Parameter("class", .className, doc: ""),
        ], returns: "none", summary: "", paragraph: "", example: "") { _ in .none })
        XCTAssertEqual(session.complete("probe(net, \"m", cursor: 13).matches, ["means"])
        XCTAssertEqual(session.complete("probe(net, \"means\", \"cat", cursor: 24).matches, ["tabby cat", "tiger cat"])
    }

    func testProgressUpdatesOneDisplayInPlace() {
        let session = Session()
        let output = RecordingOutput()
        _ = session.execute("1", output: output)
        let progress = ProgressDisplay(output: output, id: "p1", title: "occlusion")
        for step in 0...200 { progress.report(step: step, total: 200) }
        let displays = output.events.filter { if case .display = $0 { return true } else { return false } }
        let updates = output.events.compactMap { event -> String? in
            if case .update(let bundle, let id) = event, id == "p1" { return bundle.plainText } else { return nil }
        }
        XCTAssertEqual(displays.count, 1)
        XCTAssertEqual(updates.count, 100)
        XCTAssertEqual(updates.last, "occlusion [####################] 200/200")
    }

    func testFinishedBarsAreClearedWhenTheCellSucceedsAndKeptWhenItFails() throws {
        let occlusion = "occlusion(model(\"lenet_mnist\"), mnist(count: 1).image[0], class: 7, window: 14, stride: 7)"
        /// The last bundle each progress bar (a display without a picture) was left with.
        func finalBars(_ cell: CellRun) -> [[String: String]] {
            var bars: [String: [String: String]] = [:]
            for event in cell.output.events {
                switch event {
                case .display(let bundle, let id?) where bundle.data["image/png"] == nil: bars[id] = bundle.data
                case .update(let bundle, let id) where bars[id] != nil: bars[id] = bundle.data
                default: break
                }
            }
            return Array(bars.values)
        }
        // The cell's result is the map, so its bar is emptied once the cell succeeds.
        let succeeded = run(occlusion)
        XCTAssertNil(succeeded.error)
        XCTAssertEqual(finalBars(succeeded), [["text/plain": ""]])
        // A failing cell leaves its bar where it stopped, telling how far the work got.
        let failed = run("m = \(occlusion)\nundefined_name")
        XCTAssertNotNil(failed.error)
        let bars = finalBars(failed)
        XCTAssertEqual(bars.count, 1)
        XCTAssertTrue(bars.first?["text/plain"]?.hasPrefix("occlusion") ?? false, "\(bars)")
    }
}

final class ImageBuiltinTests: XCTestCase {
    private func requireSamples() throws {
        if SampleImages().names.isEmpty { throw XCTSkip("sample images are not fetched (run make setup)") }
    }

    func testShowImageDisplaysPNGWithSize() throws {
        try requireSamples()
        let cell = run("show(image(\"chelsea\"))")
        XCTAssertNil(cell.error)
        guard let bundle = cell.output.displays.first else { return XCTFail("nothing displayed") }
        let png = Data(base64Encoded: bundle.data["image/png"] ?? "") ?? Data()
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let metadata = bundle.metadata["image/png"] as? [String: Any]
        XCTAssertEqual(metadata?["width"] as? Int, 451)
        XCTAssertEqual(metadata?["height"] as? Int, 300)
        XCTAssertEqual(metadata?["alt"] as? String, "chelsea")
        XCTAssertEqual(bundle.plainText, "chelsea: image 451x300 RGB")
    }

    func testSizeCropsToASquare() throws {
        try requireSamples()
        XCTAssertEqual(result("x = image(\"chelsea\", size: 227)\n[x.width, x.height]"), "[227, 227]")
        XCTAssertEqual(result("x = image(\"chelsea\", size: [100, 50])\n[x.width, x.height]"), "[50, 100]")
        XCTAssertEqual(failure("image(\"chelsea\", size: 0)")?.kind, .value)
    }

    func testUnknownSampleSuggestsTheClosest() throws {
        try requireSamples()
        let error = failure("image(\"chelsey\")")
        XCTAssertEqual(error?.message, "there is no sample image 'chelsey'")
        XCTAssertEqual(error?.hint, "did you mean 'chelsea'?")
        XCTAssertEqual(failure("image(\"/no/such/file.png\")")?.kind, .io)
        XCTAssertTrue(result("images()")?.contains("chelsea") ?? false)
    }

    func testSavePictureAsPNGAndNpy() throws {
        try requireSamples()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convlens-img-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let png = directory.appendingPathComponent("c.png").path, npy = directory.appendingPathComponent("c.npy").path
        XCTAssertNil(run("c = image(\"chelsea\", size: 8)\nsave(c, \"\(png)\")\nsave(c, \"\(npy)\")").error)
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: png)).prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        let npyData = try Data(contentsOf: URL(fileURLWithPath: npy))
        XCTAssertTrue(String(decoding: npyData.prefix(128), as: UTF8.self).contains("'shape': (8, 8, 3)"))
        XCTAssertEqual(npyData.count, 128 + 8 * 8 * 3 * 4)
    }
}

/// The real networks, when the assets are fetched.
final class PretrainedModelTests: XCTestCase {
    func testSqueezeNetSeesATabbyInChelsea() throws {
        if SampleImages().names.isEmpty { throw XCTSkip("assets are not fetched (run make setup)") }
        let session = Session()
        let top = result("net = model()\nt = classify(net, image(\"chelsea\"), top: 3)\nt.class[0]", in: session)
        XCTAssertTrue(["\"tabby cat\"", "\"tiger cat\"", "\"Egyptian cat\"", "\"tabby, tabby cat\""].contains(top ?? ""), top ?? "nil")
        XCTAssertEqual(result("logits(net, image(\"chelsea\")).shape", in: session), "[1000]")
        XCTAssertEqual(failure("model(\"squeezent\")")?.hint, "choose 'squeezenet' or give a weights file path")
        let completions = session.complete("layers(net)\nx = net.la", cursor: 21)
        XCTAssertEqual(completions.matches, ["layer_names", "layers"])
    }
}

final class EngineArgumentTests: XCTestCase {
    private func probeSession() throws -> Session {
        let session = try ToyNetwork.session()
        session.registry.register(Builtin("probe", family: "Test", parameters: [
            Parameter("net", .model, doc: ""), Parameter("layer", .layerName, doc: ""),
            Parameter("class", .className, default: Value.none, doc: ""),
        ], returns: "number", summary: "", paragraph: "", example: "") { call in
            let model = try call.model("net")
            _ = try call.layer("layer", of: model)
            return .number(Double(try call.classIndex("class", of: model) ?? -1))
        })
        return session
    }

    func testClassArgumentsResolveWithLocatedErrors() throws {
        let session = try probeSession()
        XCTAssertEqual(result("probe(net, \"means\", class: \"tabby cat\")", in: session), "0")
        XCTAssertEqual(result("probe(net, \"means\", class: 3)", in: session), "3")
        XCTAssertEqual(result("probe(net, \"means\")", in: session), "-1")
        let error = failure("probe(net, \"means\", class: \"crane\")", in: session)
        XCTAssertEqual(error?.span?.start.column, 28)
        XCTAssertEqual(error?.message, "'crane' names 2 classes")
    }

    func testLayerArgumentsListTheClosest() throws {
        let session = try probeSession()
        let error = failure("probe(net, \"mean\")", in: session)
        XCTAssertEqual(error?.message, "toy has no layer 'mean'")
        XCTAssertEqual(error?.hint, "did you mean 'means'?")
        XCTAssertEqual(error?.span?.start.column, 12)
    }

    func testClassesSearch() throws {
        let session = try ToyNetwork.session()
        XCTAssertEqual(result("classes(net, search: \"cat\").index", in: session), "[0, 3]")
        XCTAssertEqual(result("len(classes(net))", in: session), "4")
    }
}
