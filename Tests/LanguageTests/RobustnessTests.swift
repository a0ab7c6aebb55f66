import XCTest
@testable import Language

/// Thousands of random and mutated programs through the interpreter: every one must end
/// in a result or an error (no crash, no hang), and completion, inspection and
/// is_complete must answer for any cursor position.
final class RobustnessTests: XCTestCase {
    func testTenThousandRandomAndMutatedProgramsOnlyEverError() {
        var fuzzer = ProgramFuzzer(seed: 2026)
        let seeds = GoldenPrograms.all.map(\.source) + [
            "x = [1, 2, 3]\nprint(x[0] + len(x), type(x))",
            "t = help()\nshow(t)\nclear_output(wait: true)",
            "name = input(\"who? \")\nprint(\"hi \" + name)",
            "xs = 0..15\nprint(xs[3], xs.length, 2 ** 0.5)",
        ]
        let session = Session()
        var failures = 0, successes = 0
        let started = Date()
        for iteration in 0..<10_000 {
            let program = iteration % 2 == 0 ? fuzzer.program() : fuzzer.mutate(fuzzer.pick(seeds))
            let cellStart = Date()
            // A cell that sleeps is interrupted after 5 ms, as a user pressing stop would.
            let output = RecordingOutput(inputLines: ["fuzz"], cancellation: { Date().timeIntervalSince(cellStart) > 0.005 })
            switch session.execute(program, output: output) {
            case .success: successes += 1
            case .failure(let error, let report):
                failures += 1
                XCTAssertFalse(error.message.isEmpty, program)
                XCTAssertFalse(report.isEmpty, program)
            }
            let length = program.unicodeScalars.count
            let cursor = length == 0 ? 0 : fuzzer.random.integer(in: 0..<(length + 1))
            let completions = session.complete(program, cursor: cursor)
            XCTAssertLessThanOrEqual(completions.start, completions.end, program)
            XCTAssertEqual(completions.matches.count, completions.types.count)
            _ = session.inspect(program, cursor: cursor, detailLevel: iteration % 2)
            _ = session.isComplete(program)
            if iteration % 500 == 0 { session.reset() }
        }
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertGreaterThan(successes, 500, "the generator should make many valid programs")
        XCTAssertGreaterThan(failures, 1000, "and many invalid ones")
        XCTAssertLessThan(elapsed, 60, "10,000 programs took \(elapsed) s")
    }
}
