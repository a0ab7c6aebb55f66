import Foundation

extension Session {
    /// The cell the benchmark runs: an assignment and arithmetic, as a student's first cell.
    public static let trivialBenchmarkCell = "x = 3\ny = x * 2 + 1"

    /// Median milliseconds to parse and evaluate `trivialBenchmarkCell` in a warm session
    /// (goal: under 0.1 ms). For `convlens bench`; not a timed test.
    public static func benchmarkTrivialCell(iterations: Int = 2000) -> Double {
        let session = Session()
        let output = DiscardingOutput()
        for _ in 0..<100 { _ = session.execute(trivialBenchmarkCell, output: output) }
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for _ in 0..<max(1, iterations) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = session.execute(trivialBenchmarkCell, output: output)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}
