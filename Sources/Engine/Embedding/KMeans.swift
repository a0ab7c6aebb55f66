import Foundation

/// k-means (Lloyd 1982) with k-means++ seeding (Arthur and Vassilvitskii 2007): the first centre
/// is a uniformly drawn point, each next one a point drawn with probability proportional to its
/// squared distance to the nearest centre so far; then assignment and mean updates alternate
/// until no assignment changes. Seeded, so a seed fixes the clusters.
public enum KMeans {
    public struct Result: Sendable, Equatable {
        /// k x columns, row-major.
        public var centroids: [Float]
        /// The cluster of each row, 0..<k.
        public var assignments: [Int]
        /// Lloyd iterations run.
        public var iterations: Int
    }

    /// Clusters the rows of `points` (rows x columns, row-major) into `k` groups.
    /// A cluster left empty by an update keeps its previous centre (it cannot move to no points).
    /// - Throws: `EngineError.invalid` when k is not in 1...rows, or for non-finite values.
    public static func cluster(_ points: [Float], rows: Int, columns: Int, k: Int, seed: UInt64 = 0,
                               maxIterations: Int = 300) throws -> Result {
        guard rows >= 1, columns >= 1, points.count == rows * columns else {
            throw EngineError.invalid("kmeans: expected \(rows) x \(columns) = \(rows * columns) values, got \(points.count)")
        }
        guard k >= 1, k <= rows else { throw EngineError.invalid("kmeans: k = \(k) clusters needs 1 to \(rows) points' worth, there are \(rows) points") }
        guard points.allSatisfy(\.isFinite) else { throw EngineError.invalid("kmeans: the points contain NaN or infinite values") }
        func distance(_ row: Int, _ centroids: [Float], _ centre: Int) -> Float {
            var sum: Float = 0
            for c in 0..<columns {
                let d = points[row * columns + c] - centroids[centre * columns + c]
                sum += d * d
            }
            return sum
        }
        var random = SeededRandom(seed: seed)
        var centroids = Array(points[(random.integer(in: 0..<rows) * columns)...].prefix(columns))
        var nearest = (0..<rows).map { distance($0, centroids, 0) }
        for centre in 1..<k {
            let total = nearest.reduce(0, +)
            var chosen = 0
            if total > 0 {
                var target = random.uniform() * total
                chosen = rows - 1
                for row in 0..<rows {
                    target -= nearest[row]
                    if target < 0 { chosen = row; break }
                }
            } else {
                chosen = random.integer(in: 0..<rows)
            }
            centroids += points[(chosen * columns)..<((chosen + 1) * columns)]
            for row in 0..<rows { nearest[row] = Swift.min(nearest[row], distance(row, centroids, centre)) }
        }
        var assignments = [Int](repeating: -1, count: rows)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            var changed = false
            for row in 0..<rows {
                var best = 0, bestDistance = Float.infinity
                for centre in 0..<k {
                    let d = distance(row, centroids, centre)
                    if d < bestDistance { (best, bestDistance) = (centre, d) }
                }
                if assignments[row] != best { (assignments[row], changed) = (best, true) }
            }
            if !changed { break }
            var sums = [Double](repeating: 0, count: k * columns), counts = [Int](repeating: 0, count: k)
            for row in 0..<rows {
                counts[assignments[row]] += 1
                for c in 0..<columns { sums[assignments[row] * columns + c] += Double(points[row * columns + c]) }
            }
            for centre in 0..<k where counts[centre] > 0 {
                for c in 0..<columns { centroids[centre * columns + c] = Float(sums[centre * columns + c] / Double(counts[centre])) }
            }
        }
        return Result(centroids: centroids, assignments: assignments, iterations: iterations)
    }
}
