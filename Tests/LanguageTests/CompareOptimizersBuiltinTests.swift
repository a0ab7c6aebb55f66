import XCTest
import Engine
@testable import Language

/// compare_optimizers through the language: one table row per optimizer, all from the same start.
final class CompareOptimizersBuiltinTests: XCTestCase {
    func testEveryOptimizerStartsFromTheSameLossAndTheTableHasOneRowEach() throws {
        let session = Session()
        let code = "seed(4)\nd = toy2d(kind: \"xor\", count: 120, seed: 2)\n"
            + "t = compare_optimizers(\"fc 6 tanh, fc 2 softmax\", d, epochs: 2, batch: 10, validation: d)"
        XCTAssertNil(run(code, in: session).error)
        guard case .table(let table)? = session.variables["t"] else { return XCTFail("no table") }
        XCTAssertEqual(table.columns, ["optimizer", "rate", "initial_loss", "final_loss", "validation_accuracy"])
        XCTAssertEqual(table.rows.map { text($0[0]) }, CompareOptimizers.defaultOptimizers)
        XCTAssertEqual(table.rows.map { number($0[1]) ?? -1 }, [0.01, 0.01, 0.01, 1, 0.001].map { Double(Float($0)) })
        let initial = Set(table.rows.map { number($0[2]) })
        XCTAssertEqual(initial.count, 1, "one initial loss for every optimizer: \(initial)")
        // A fresh 2-class softmax network starts near ln 2.
        let start = try XCTUnwrap(initial.first ?? nil)
        XCTAssertEqual(start, log(2), accuracy: 0.25)
        XCTAssertEqual(Set(table.rows.map { number($0[3]) }).count, 5, "five rules, five final losses")
        for row in table.rows {
            let accuracy = try XCTUnwrap(number(row[4]), "no validation accuracy")
            XCTAssertTrue((0...1).contains(accuracy))
        }
        // seed() repeats the whole comparison.
        XCTAssertNil(run(code.replacingOccurrences(of: "t = ", with: "u = "), in: session).error)
        guard case .table(let again)? = session.variables["u"] else { return XCTFail("no second table") }
        XCTAssertEqual(again.rows.map { $0.map(number) }, table.rows.map { $0.map(number) })
    }

    private func number(_ value: Value) -> Double? {
        if case .number(let number) = value { return number }
        return nil
    }

    private func text(_ value: Value) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    func testUnknownOptimizerAndBadSpecAreLocatedErrors() throws {
        let session = Session()
        XCTAssertNil(run("d = toy2d(kind: \"xor\", count: 20, seed: 2)", in: session).error)
        let unknown = try XCTUnwrap(failure("compare_optimizers(\"fc 2 softmax\", d, optimizers: [\"sgd\", \"rmsprop\"])", in: session))
        XCTAssertTrue(unknown.message.contains("'rmsprop'"), unknown.message)
        let cell = run("compare_optimizers(\"fc 2 sofmax\", d)", in: session)
        let error = try XCTUnwrap(cell.error)
        let sourceLine = try XCTUnwrap(cell.report.first { $0.contains("compare_optimizers(") })
        let caretLine = try XCTUnwrap(cell.report.first { $0.contains("^") })
        let caret = try XCTUnwrap(caretLine.firstIndex(of: "^")).utf16Offset(in: caretLine)
        XCTAssertGreaterThan(caret, try XCTUnwrap(sourceLine.firstIndex(of: "\"")).utf16Offset(in: sourceLine), error.message)
        XCTAssertNotNil(failure("compare_optimizers(\"fc 2 softmax\", d, optimizers: [])", in: session))
    }
}
