import XCTest
@testable import Language

/// Runs every golden program and compares its output and error with the comments beside it.
final class GoldenProgramTests: XCTestCase {
    private struct Expectations {
        var stdout: [String] = []
        var result: String?
        var error: String?
        var hint: String?
    }

    private func expectations(in source: String) -> Expectations {
        var found = Expectations()
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let marker = line.range(of: "# ") else { continue }
            let comment = line[marker.upperBound...]
            for (key, apply) in [("expect: ", { found.stdout.append($0) }),
                                 ("result: ", { found.result = $0 }),
                                 ("error: ", { found.error = $0 }),
                                 ("hint: ", { found.hint = $0 })] as [(String, (String) -> Void)] {
                if comment.hasPrefix(key) { apply(String(comment.dropFirst(key.count))) }
            }
        }
        return found
    }

    func testGoldenPrograms() {
        XCTAssertGreaterThanOrEqual(GoldenPrograms.all.count, 20)
        for (name, source) in GoldenPrograms.all {
            let expected = expectations(in: source)
            let cell = run(source)
            let printed = cell.output.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            XCTAssertEqual(printed, expected.stdout, "stdout of '\(name)'")
            if let error = cell.error {
                var described = error
                described.hint = nil
                XCTAssertEqual(described.description, expected.error, "error of '\(name)'")
                XCTAssertEqual(error.hint, expected.hint, "hint of '\(name)'")
            } else {
                XCTAssertNil(expected.error, "'\(name)' should have failed with \(expected.error ?? "")")
                XCTAssertEqual(cell.resultText, expected.result, "result of '\(name)'")
            }
        }
    }

    func testReportShowsSourceLineAndCaret() {
        let cell = run("x = 5\ny = x + undefined_nam")
        XCTAssertEqual(cell.report, [
            "NameError: 'undefined_nam' is not defined",
            "  --> line 2, column 9",
            "  |",
            "2 | y = x + undefined_nam",
            "  |         ^^^^^^^^^^^^^",
            "hint: assign it first: undefined_nam = ...",
        ])
    }

    func testEverySyntaxErrorOfACellIsReported() {
        let cell = run("a = (1\nb = 2 +\nc = ]")
        XCTAssertEqual(cell.error?.kind, .syntax)
        XCTAssertGreaterThanOrEqual(cell.report.filter { $0.hasPrefix("SyntaxError") }.count, 1)
        let multi = run("x = )\ny = 1 +* 2")
        XCTAssertEqual(multi.report.filter { $0.hasPrefix("SyntaxError") }.count, 2)
    }
}
