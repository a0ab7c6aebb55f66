import XCTest
import Engine
@testable import Language

/// Number arguments: declared ranges checked by the binder, finiteness, and the one matrix rule.
final class ArgumentRangeTests: XCTestCase {
    private let fourRows = "[[0, 0], [1, 1], [2, 2], [3, 3]]"

    func testNonFiniteAndFloatOverflowingNumbersAreRefusedByName() {
        // 1e400 is infinite, 1e400 - 1e400 is NaN; both are refused before t-SNE converts them.
        let infinite = failure("tsne(\(fourRows), perplexity: 1e400)")
        XCTAssertEqual(infinite?.message, "argument 'perplexity' of tsne is not a finite number, got inf")
        XCTAssertEqual(infinite?.kind, .value)
        XCTAssertEqual(infinite?.span?.start.column, 52)   // the number, after "tsne([[...]], perplexity: "
        XCTAssertEqual(failure("tsne(\(fourRows), perplexity: 1e400 - 1e400)")?.message,
                       "argument 'perplexity' of tsne is not a finite number, got nan")
        // Finite as a Double, infinite as the engine's Float.
        XCTAssertEqual(failure("dbscan(\(fourRows), 1e308)")?.message,
                       "argument 'eps' of dbscan is too large for the engine's 32-bit numbers (at most 3.4e38 in size), got 1e+308")
        XCTAssertEqual(failure("sleep(1e400)")?.message, "argument 'seconds' of sleep is not a finite number, got inf")
        // Tensor arithmetic with such a number would make every element infinite.
        let session = Session()
        XCTAssertNil(run("p = pca([[0, 0], [2, 0], [4, 1]])", in: session).error)
        XCTAssertEqual(failure("p * 1e308", in: session)?.message, "1e+308 is too large for a tensor's 32-bit numbers (at most 3.4e38 in size)")
        XCTAssertNil(run("q = p * 1e30", in: session).error)
        // An integer argument given NaN says so rather than "expects a whole number".
        XCTAssertEqual(failure("seed(1e400 - 1e400)")?.message, "argument 'n' of seed is not a finite number, got nan")
    }

    func testDeclaredRangesAreCheckedWithTheArgumentsName() {
        XCTAssertEqual(failure("tsne(\(fourRows), perplexity: 0.5)")?.message, "argument 'perplexity' of tsne must be at least 1, got 0.5")
        XCTAssertEqual(failure("tsne(\(fourRows), theta: 1.5)")?.message, "argument 'theta' of tsne must be 0 to 1, got 1.5")
        XCTAssertEqual(failure("tsne(\(fourRows), iterations: 0)")?.message, "argument 'iterations' of tsne must be 1 to 100000, got 0")
        XCTAssertEqual(failure("dbscan(\(fourRows), 0)")?.message, "argument 'eps' of dbscan must be above 0, got 0")
        XCTAssertEqual(failure("dbscan(\(fourRows), 1, min_points: 0)")?.message,
                       "argument 'min_points' of dbscan must be at least 1, got 0")
        XCTAssertEqual(failure("seed(-1)")?.message, "argument 'n' of seed must be at least 0, got -1")
        XCTAssertEqual(failure("sleep(-0.5)")?.message, "argument 'seconds' of sleep must be at least 0, got -0.5")
        XCTAssertEqual(failure("embedgrid(\(fourRows), [scatter([[0, 1], [1, 0]])] * 4, cell: 4)")?.message,
                       "argument 'cell' of embedgrid must be 8 to 256, got 4")
        // The range is the engine's constant: the same words the engine uses for its own callers.
        XCTAssertEqual(TSNE.Options.thetaRange.description, "0 to 1")
        // A range that depends on another argument stays in the body and says both.
        XCTAssertEqual(failure("pca([[1, 2], [3, 4], [5, 7]], dims: 3)")?.message,
                       "dims must be at most 2 for x's 3 rows of 2 columns, got 3")
    }

    func testEveryMatrixArgumentRefusesNonFiniteValuesAtTheirRowAndColumn() {
        let nan = "[[0, 0], [1, 1e400 - 1e400], [2, 2], [3, 3]]"
        XCTAssertEqual(failure("tsne(\(nan), perplexity: 1)")?.message,
                       "argument 'x' of tsne: value at row 1, column 1 is not finite")
        XCTAssertEqual(failure("pca(\(nan))")?.message, "argument 'x' of pca: value at row 1, column 1 is not finite")
        XCTAssertEqual(failure("dbscan(\(nan), 1)")?.message, "argument 'points' of dbscan: value at row 1, column 1 is not finite")
        XCTAssertEqual(failure("scatter(\(nan))")?.message, "argument 'points' of scatter: value at row 1, column 1 is not finite")
        // 1e308 is a finite language number that becomes infinity as a 32-bit float.
        let session = Session()
        XCTAssertNil(run("pics = [scatter([[0, 1], [1, 0]])] * 4", in: session).error)
        for points in [nan, "[[0, 0], [1, 1], [2, 1e308], [3, 3]]"] {
            let message = failure("embedgrid(\(points), pics)", in: session)?.message
            let expected = points == nan ? "argument 'points' of embedgrid: value at row 1, column 1 is not finite"
                                         : "argument 'points' of embedgrid: value at row 2, column 1 is not finite"
            XCTAssertEqual(message, expected)
        }
        // Finite but so large that squared distances overflow: refused with the limit.
        XCTAssertNil(run("embedgrid(\(fourRows), pics)", in: session).error)
        XCTAssertEqual(failure("dbscan([[0, 0], [3e38, 0]], 1)")?.message,
                       "argument 'points' of dbscan: value at row 1, column 0 is too large (beyond 1e+18 in size); rescale the data")
    }

    func testTooFewPointsForTheDefaultPerplexityNamesPerplexityAndSuggestsOne() {
        let rows = (0..<10).map { "[\($0), \(($0 * 7) % 10)]" }.joined(separator: ", ")
        let error = failure("tsne([\(rows)])")
        XCTAssertEqual(error?.message, "perplexity 30 (the default) needs at least 31 points, but x has 10")
        XCTAssertEqual(error?.hint, "give perplexity: 3 or another number below 10")
        XCTAssertEqual(error?.span?.start.column, 6, "points at x, since perplexity was not written")
        let given = failure("tsne([\(rows)], perplexity: 12)")
        XCTAssertEqual(given?.message, "perplexity 12 needs at least 13 points, but x has 10")
        XCTAssertEqual(given?.span?.start.column, 6 + rows.count + 2 + 2 + 12)
        // The suggestion works.
        XCTAssertNil(run("tsne([\(rows)], perplexity: 3, iterations: 50)").error)
        XCTAssertEqual(failure("tsne([[0, 1], [1, 0]], perplexity: 1)")?.hint, "a map needs at least 3 points")
    }

    func testHelpAndReferencePrintTheRanges() throws {
        let registry = BuiltinRegistry.standard()
        let writer = HelpWriter(registry: registry)
        let tsne = try XCTUnwrap(registry.builtin(named: "tsne"))
        let help = writer.fullHelp(tsne)
        XCTAssertTrue(help.plain.contains("theta       number: Barnes-Hut accuracy; 0 is the exact method (0 to 1) (default 0.5)"),
                      help.plain)
        XCTAssertTrue(help.markdown.contains("| `iterations` | integer | `1000` | gradient steps (1 to 100000) |"), help.markdown)
        XCTAssertTrue(registry.referenceMarkdown().contains("| `rate` | number | `0.05` | step size, in pixel units per step (above 0 and at most 1) |"))
    }

    func testEveryDeclaredDefaultLiesInItsRange() {
        for builtin in BuiltinRegistry.standard().all {
            for parameter in builtin.parameters {
                guard let range = parameter.range, case .number(let value)? = parameter.defaultValue else { continue }
                XCTAssertTrue(range.contains(value), "\(builtin.name).\(parameter.name) = \(value) is outside \(range)")
            }
        }
    }
}
