import Foundation

/// Splits loops over independent units (channels, images of a batch) across the cores.
///
/// Work smaller than `minimumWorkPerThread` scalar operations stays on the calling thread:
/// waking a second core costs a few microseconds, more than a tiny channel loop.
enum Parallel {
    /// Number of worker threads used by `forEach` (the machine's active cores).
    static let threadCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
    static let minimumWorkPerThread = 16_384

    /// Calls `body(i)` for every i in 0..<count, possibly concurrently; `body` must only
    /// write memory that belongs to unit i. `workPerUnit` estimates scalar operations per unit.
    static func forEach(_ count: Int, workPerUnit: Int = .max, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        let totalWork = count.multipliedReportingOverflow(by: max(1, workPerUnit))
        let enoughWork = totalWork.overflow || totalWork.partialValue >= 2 * minimumWorkPerThread
        if threadCount == 1 || count == 1 || !enoughWork {
            for index in 0..<count { body(index) }
            return
        }
        let chunks = min(count, threadCount)
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks
                let end = count * (chunk + 1) / chunks
                for index in start..<end { body(index) }
            }
        }
    }

    /// Splits 0..<count into one contiguous range per core (when there is enough work) and
    /// calls `body` on each, for elementwise passes over large activations.
    static func forRanges(_ count: Int, _ body: (Range<Int>) -> Void) {
        let chunks = count >= 4 * minimumWorkPerThread ? threadCount : 1
        guard chunks > 1 else {
            body(0..<count)
            return
        }
        forEach(chunks) { chunk in
            body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
        }
    }
}
