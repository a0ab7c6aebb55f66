import ArgumentParser
import Dispatch
import Language

/// Parse-and-evaluate time of a trivial cell (an assignment and arithmetic) in a warm session.
struct CellBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cell",
        abstract: "Median time to parse and evaluate a trivial cell.")

    /// The cell timed: an assignment and arithmetic, as a student's first cell.
    static let cell = "x = 3\ny = x * 2 + 1"

    @Option(help: "Timed iterations.") var iterations = 20000

    func run() throws {
        let session = Session()
        let output = DiscardingOutput()
        guard case .success = session.execute(Self.cell, output: output) else {
            throw ValidationError("bench cell: the benchmark cell failed to run")
        }
        // 100 untimed runs first, so the session's caches are warm as in a notebook.
        let milliseconds = BenchTiming.medianMilliseconds(iterations: iterations, warmup: 100) {
            _ = session.execute(Self.cell, output: output)
        }
        try BenchCommand.printJSON(["cell": Self.cell, "median_ms": milliseconds, "iterations": iterations])
    }
}
