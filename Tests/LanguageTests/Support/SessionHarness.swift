import XCTest
@testable import Language

/// Runs cells in a fresh or given session and records what they printed and returned.
struct CellRun {
    let outcome: CellOutcome
    let output: RecordingOutput

    var resultText: String? {
        if case .success(let result, _) = outcome { return result?.plainText }
        return nil
    }

    var error: LensError? {
        if case .failure(let error, _) = outcome { return error }
        return nil
    }

    var report: [String] {
        if case .failure(_, let report) = outcome { return report }
        return []
    }
}

extension XCTestCase {
    @discardableResult
    func run(_ code: String, in session: Session = Session(), input: [String] = []) -> CellRun {
        let output = RecordingOutput(inputLines: input)
        return CellRun(outcome: session.execute(code, output: output), output: output)
    }

    /// The text/plain result of `code`, failing the test on an error.
    func result(_ code: String, in session: Session = Session(), file: StaticString = #filePath, line: UInt = #line) -> String? {
        let cell = run(code, in: session)
        if let error = cell.error { XCTFail("unexpected error: \(error)", file: file, line: line) }
        return cell.resultText
    }

    /// The error of `code`, failing the test when it succeeds.
    func failure(_ code: String, in session: Session = Session(), file: StaticString = #filePath, line: UInt = #line) -> LensError? {
        let cell = run(code, in: session)
        if cell.error == nil { XCTFail("expected an error from: \(code)", file: file, line: line) }
        return cell.error
    }
}
