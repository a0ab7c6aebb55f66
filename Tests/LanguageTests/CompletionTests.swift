import XCTest
@testable import Language

final class CompletionTests: XCTestCase {
    private func complete(_ marked: String, in session: Session = Session()) -> Completions {
        // `|` marks the cursor.
        let cursor = marked.unicodeScalars.firstIndex(of: "|").map { marked.unicodeScalars.distance(from: marked.unicodeScalars.startIndex, to: $0) } ?? 0
        let code = marked.replacingOccurrences(of: "|", with: "")
        return session.complete(code, cursor: cursor)
    }

    func testBuiltinsByPrefix() {
        let result = complete("pri|")
        XCTAssertEqual(result.matches, ["print"])
        XCTAssertEqual(result.start, 0)
        XCTAssertEqual(result.end, 3)
        XCTAssertEqual(result.types, ["function"])
    }

    func testVariablesComeBeforeBuiltins() {
        let session = Session()
        run("seconds_left = 3\nsequence = [1]", in: session)
        let result = complete("x = se|", in: session)
        XCTAssertEqual(result.matches, ["seconds_left", "sequence", "seed", "segment"])
        XCTAssertEqual(result.start, 4)
    }

    func testArgumentNamesInsideACall() {
        let result = complete("sleep(|")
        XCTAssertEqual(result.matches.first, "seconds: ")
        XCTAssertEqual(result.types.first, "argument")
        let input = complete("input(\"?\", pa|")
        XCTAssertEqual(input.matches, ["password: ", "patches", "patch", "paint", "painted"], "argument names first, then builtins")
        XCTAssertEqual(input.start, 11)
        let used = complete("input(prompt: \"?\", |")
        XCTAssertEqual(used.matches.first, "password: ")
        XCTAssertFalse(used.matches.contains("prompt: "))
    }

    func testStringsCompleteFromTheParameterType() {
        let session = Session()
        var sources = CompletionSources()
        sources.sampleImageNames = { ["chelsea", "coffee", "camera"] }
        sources.layerNames = { model in
            if case .string("toy")? = model { return ["conv1", "conv2", "fc"] }
            return []
        }
        session.completionSources = sources
        session.registry.register(Builtin("probe", family: "Test", parameters: [
            Parameter("net", .model, default: .string("toy"), doc: ""),
            Parameter("img", .imageName, doc: ""),
            Parameter("layer", .layerName, doc: ""),
        ], returns: "none", summary: "", paragraph: "", example: "") { _ in .none })
        let images = complete("probe(img: \"c|", in: session)
        XCTAssertEqual(images.matches, ["chelsea", "coffee", "camera"])
        XCTAssertEqual(images.start, 12)
        let narrowed = complete("probe(img: \"co|\")", in: session)
        XCTAssertEqual(narrowed.matches, ["coffee"])
        let layers = complete("probe(img: \"x\", layer: \"conv|", in: session)
        XCTAssertEqual(layers.matches, ["conv1", "conv2"])
        XCTAssertEqual(layers.types, ["layer", "layer"])
        let positional = complete("probe(\"toy\", \"x\", \"f|", in: session)
        XCTAssertEqual(positional.matches, [], "a string where a model goes is not a model variable")
    }

    func testMembersOfAVariable() {
        let session = Session()
        run("word = \"abc\"", in: session)
        XCTAssertEqual(complete("word.le|", in: session).matches, ["length"])
        XCTAssertEqual(complete("word.|", in: session).matches, ["length"])
    }

    func testChoicesComplete() {
        let session = Session()
        session.registry.register(Builtin("paint", family: "Test", parameters: [
            Parameter("mode", .choice(["gray", "rgb"]), default: .string("rgb"), doc: ""),
        ], returns: "none", summary: "", paragraph: "", example: "") { _ in .none })
        XCTAssertEqual(complete("paint(mode: \"g|", in: session).matches, ["gray"])
    }
}

final class InspectionTests: XCTestCase {
    func testDetailZeroIsSignatureAndSummary() {
        let bundle = Session().inspect("print", cursor: 5, detailLevel: 0)
        XCTAssertEqual(bundle?.plainText, "print(values...) -> none\n\nWrites values to standard output, separated by spaces.")
    }

    func testDetailOneIsTheFullDocumentation() {
        let text = Session().inspect("x = sleep(1)", cursor: 6, detailLevel: 1)?.plainText ?? ""
        XCTAssertTrue(text.hasPrefix("sleep(seconds: number) -> none\n"))
        XCTAssertTrue(text.contains("Arguments:\n  seconds  number: how long to wait"))
        XCTAssertTrue(text.contains("Example:\n  sleep(0.5)"))
    }

    func testInsideACallInspectsTheCallee() {
        let text = Session().inspect("sleep(3, ", cursor: 9, detailLevel: 0)?.plainText
        XCTAssertEqual(text?.hasPrefix("sleep(seconds: number)"), true)
    }

    func testVariablesAndNothing() {
        let session = Session()
        run("rate = 0.5", in: session)
        XCTAssertEqual(session.inspect("rate", cursor: 2, detailLevel: 0)?.plainText, "rate: number\n\n0.5")
        XCTAssertNil(session.inspect("1 + 2", cursor: 1, detailLevel: 0))
    }

    func testPagerAndHelp() {
        guard case .success(nil, let pager?) = run("sleep?").outcome else { return XCTFail("no pager") }
        XCTAssertTrue(pager.hasPrefix("sleep(seconds: number) -> none"))
        guard case .success(nil, .some) = run("?print").outcome else { return XCTFail("no pager for ?print") }
        XCTAssertEqual(run("slep?").error?.hint, "did you mean 'sleep'?")
        let index = result("help()") ?? ""
        XCTAssertTrue(index.contains("  print         Writes values to standard output, separated by spaces."), index)
        XCTAssertEqual(result("help(\"len\")"), result("help(len)"))
        XCTAssertEqual(failure("help(\"lenn\")")?.hint, "did you mean 'len'?")
    }
}

final class ReadinessTests: XCTestCase {
    func testKernelSamples() {
        let session = Session()
        for code in ["x = 1", "print(1)", "", "# just a comment", "classify?"] {
            XCTAssertEqual(session.isComplete(code), .complete, code)
        }
        for code in ["x = [1,", "print(\"a\",", "x = \"abc", "y = 1 +", "f(a,\n b", "not"] {
            XCTAssertEqual(session.isComplete(code), .incomplete(indent: ""), code)
        }
        for code in ["x = )", "1 +* 2", "x = (1 +* 2", "a $ b", "1 2"] {
            XCTAssertEqual(session.isComplete(code), .invalid, code)
        }
    }
}
