import XCTest
@testable import Language

final class EvaluatorTests: XCTestCase {
    func testArithmeticFollowsPrecedenceAndPythonRemainder() {
        XCTAssertEqual(result("1 + 2"), "3")
        XCTAssertEqual(result("1 + 2 * 3 - 4 / 8"), "6.5")
        XCTAssertEqual(result("2 ** 10"), "1024")
        XCTAssertEqual(result("-7 % 3"), "2")
        XCTAssertEqual(result("7 % -3"), "-2")
        XCTAssertEqual(result("1 / 3"), "0.333333")
        XCTAssertEqual(result("0.1 + 0.2 == 0.3"), "false")
    }

    func testStringsListsAndRanges() {
        XCTAssertEqual(result("\"ab\" + \"cd\""), "\"abcd\"")
        XCTAssertEqual(result("\"ab\" * 3"), "\"ababab\"")
        XCTAssertEqual(result("[1, 2] + [3]"), "[1, 2, 3]")
        XCTAssertEqual(result("[0] * 3"), "[0, 0, 0]")
        XCTAssertEqual(result("len(0..15)"), "16")
        XCTAssertEqual(result("(0..15)[-1]"), "15")
        XCTAssertEqual(result("[1, 2] + (3..4)"), "[1, 2, 3, 4]")
        XCTAssertEqual(result("\"cat\"[1]"), "\"a\"")
        XCTAssertEqual(result("[\"a\", \"b\"].length"), "2")
        XCTAssertEqual(result("0..3 == [0, 1, 2, 3]"), "true")
    }

    func testComparisonsAndLogic() {
        XCTAssertEqual(result("1 < 2 and 2 <= 2 and \"a\" < \"b\""), "true")
        XCTAssertEqual(result("not (1 > 2) or undefined_name"), "true", "or short-circuits")
        XCTAssertEqual(result("false and undefined_name"), "false", "and short-circuits")
        XCTAssertEqual(result("none == none"), "true")
        XCTAssertEqual(result("[1, \"a\"] != [1, \"a\"]"), "false")
    }

    func testVariablesLiveForTheSession() {
        let session = Session()
        run("x = 5\ny = x * 2", in: session)
        XCTAssertEqual(result("x + y", in: session), "15")
    }

    func testFailingCellKeepsEarlierAssignmentsAndDoesNotAssignTheFailingOne() {
        let session = Session()
        run("x = 5", in: session)
        let cell = run("y = 1\nx = 1 / \"a\"\nz = 2", in: session)
        XCTAssertEqual(cell.error?.kind, .type)
        XCTAssertEqual(cell.error?.span?.start.line, 2)
        XCTAssertEqual(result("x", in: session), "5")
        XCTAssertEqual(result("y", in: session), "1")
        XCTAssertNil(session.variables["z"])
    }

    func testOnlyTheLastExpressionIsTheResult() {
        XCTAssertEqual(result("1\n2\n3"), "3")
        XCTAssertNil(result("x = 3"))
        XCTAssertNil(result("print(1)"))
    }

    func testPrintWarnShowAndClear() {
        let cell = run("print(\"hello, world\")\nprint(\"a\", 1, 2.5, [1, \"b\"], true)\nwarn(\"careful\")\nshow(1 + 1)\nclear_output(wait: true)")
        XCTAssertEqual(cell.output.stdout, "hello, world\na 1 2.5 [1, \"b\"] true\n")
        XCTAssertEqual(cell.output.stderr, "careful\n")
        XCTAssertEqual(cell.output.displays.map(\.plainText), ["2"])
        guard case .clear(let wait) = cell.output.events.last else { return XCTFail("no clear_output event") }
        XCTAssertTrue(wait)
    }

    func testInputReadsThroughTheOutput() {
        let session = Session()
        let cell = run("name = input(\"Your name? \")", in: session, input: ["Ada"])
        XCTAssertNil(cell.error)
        XCTAssertEqual(cell.output.stdout, "Your name? ")
        XCTAssertEqual(result("name", in: session), "\"Ada\"")
    }

    func testSleepStopsWhenCancelled() {
        let session = Session()
        run("x = 1", in: session)
        let started = Date()
        let output = RecordingOutput(cancellation: { Date().timeIntervalSince(started) > 0.05 })
        let outcome = session.execute("sleep(30)\nx = 2", output: output)
        guard case .failure(let error, _) = outcome else { return XCTFail("sleep was not interrupted") }
        XCTAssertEqual(error.kind, .interrupted)
        XCTAssertEqual(error.kind.rawValue, "Interrupted")
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.0)
        XCTAssertEqual(result("x", in: session), "1")
    }

    func testSeedValidatesAndIsStored() {
        let session = Session()
        run("seed(42)", in: session)
        XCTAssertEqual(session.randomSeed, 42)
        let first = session.withRandom { $0.next() }
        run("seed(42)", in: session)
        XCTAssertEqual(session.withRandom { $0.next() }, first)
        XCTAssertEqual(failure("seed(-1)")?.kind, .value)
        XCTAssertEqual(failure("seed(1.5)")?.kind, .type)
    }

    func testTypeAndLen() {
        XCTAssertEqual(result("type(1)"), "\"number\"")
        XCTAssertEqual(result("type(print)"), "\"builtin\"")
        XCTAssertEqual(result("len(\"héllo\")"), "5")
    }

    func testHugeResultsAreRefusedNotBuilt() {
        XCTAssertEqual(failure("\"ab\" * 1e15")?.kind, .value)
        XCTAssertEqual(failure("[1, 2] * 1000000")?.kind, .value)
        XCTAssertEqual(failure("save([[0] * 1000000] * 1000000, \"/tmp/never.npy\")")?.message, "about 1000000000000 numbers are too many to save (at most 50000000)")
        XCTAssertEqual(failure("save(0..100000000000, \"/tmp/never.npy\")")?.kind, .value)
        XCTAssertEqual(result("len(0..1000000000000)"), "1000000000001")
    }
}
