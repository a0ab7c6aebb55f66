import Dispatch

/// Wall-clock timing for `convlens bench` (never used inside tests).
enum BenchTiming {
    /// Runs `body` `warmup` times untimed, then `iterations` times, and returns the median in ms.
    ///
    /// The median rather than the mean: on a shared 2-core machine a single descheduled run
    /// would otherwise dominate the figure.
    static func medianMilliseconds(iterations: Int, warmup: Int = 2, body: () throws -> Void) rethrows -> Double {
        for _ in 0..<max(0, warmup) { try body() }
        var samples: [Double] = []
        samples.reserveCapacity(max(1, iterations))
        for _ in 0..<max(1, iterations) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        }
        samples.sort()
        let middle = samples.count / 2
        return samples.count % 2 == 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2
    }

    /// Seconds taken by `body`, and what it returned.
    static func seconds<Result>(_ body: () throws -> Result) rethrows -> (seconds: Double, result: Result) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result)
    }
}
