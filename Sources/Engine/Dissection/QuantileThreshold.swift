/// The exact upper quantile of each unit's activations over a stream, in bounded memory: per
/// unit a min-heap of the `keep` largest values seen (Float, one flat array), so a value below
/// the heap's root costs one comparison. After the stream, T_k is the root: the `keep`-th
/// largest value, i.e. the threshold with P(a_k > T_k) = (keep - 1) / count, which for
/// keep = ceil(q * count) is the top-q quantile network dissection uses (q = 0.5%).
public struct QuantileThreshold {
    public let units: Int
    public let keep: Int
    private var heaps: [Float]
    private var counts: [Int]

    /// `units` streams, keeping the `keep` (>= 1) largest values of each.
    public init(units: Int, keep: Int) {
        (self.units, self.keep) = (max(0, units), max(1, keep))
        heaps = [Float](repeating: 0, count: self.units * self.keep)
        counts = [Int](repeating: 0, count: self.units)
    }

    /// Offers every value of `values` to unit `unit`'s stream (NaN is skipped).
    public mutating func offer(unit: Int, _ values: UnsafeBufferPointer<Float>) {
        let base = unit * keep
        var count = counts[unit]
        heaps.withUnsafeMutableBufferPointer { heap in
            for value in values where !value.isNaN {
                if count < keep {
                    var child = count
                    heap[base + child] = value
                    count += 1
                    while child > 0 {
                        let parent = (child - 1) / 2
                        guard heap[base + parent] > heap[base + child] else { break }
                        heap.swapAt(base + parent, base + child)
                        child = parent
                    }
                } else if value > heap[base] {
                    heap[base] = value
                    var parent = 0
                    while true {
                        let left = 2 * parent + 1, right = left + 1
                        var smallest = parent
                        if left < keep, heap[base + left] < heap[base + smallest] { smallest = left }
                        if right < keep, heap[base + right] < heap[base + smallest] { smallest = right }
                        if smallest == parent { break }
                        heap.swapAt(base + parent, base + smallest)
                        parent = smallest
                    }
                }
            }
        }
        counts[unit] = count
    }

    /// Each unit's threshold: the smallest of its kept values (its `keep`-th largest), or the
    /// smallest value seen when the stream was shorter than `keep`; -infinity for an empty stream.
    public func thresholds() -> [Float] {
        (0..<units).map { unit in
            counts[unit] == 0 ? -Float.infinity : heaps[unit * keep]
        }
    }
}
