import Dispatch
import Foundation

/// The joint probabilities P of t-SNE in compressed sparse rows: row i lists the points j with
/// p_ij > 0, sorted by j. P is symmetric and its entries sum to 1.
///
/// Why sparse even for the exact method: the exact method is the same structure with every other
/// point as a neighbour, so both methods share one attractive-force and one KL routine.
struct SparseAffinities {
    var rowStart: [Int]
    var columnIndex: [Int32]
    var value: [Double]

    var pointCount: Int { rowStart.count - 1 }

    /// Conditional neighbour probabilities p_{j|i} calibrated to the perplexity, then symmetrised:
    /// p_ij = (p_{j|i} + p_{i|j}) / (2n). `neighbourCount` nearest points per row (n - 1 = all).
    static func compute(points: [Float], rows: Int, columns: Int,
                        perplexity: Double, neighbourCount: Int) throws -> SparseAffinities {
        let neighbours = try NearestNeighbours.search(points: points, rows: rows, columns: columns, k: neighbourCount)
        var conditional = [Double](repeating: 0, count: rows * neighbourCount)
        let targetEntropy = Foundation.log(perplexity)
        // Rows calibrated in parallel between two cancellation checks.
        let rowsPerCheck = 2048
        for firstRow in stride(from: 0, to: rows, by: rowsPerCheck) {
            try Cancellation.check()
            conditional.withUnsafeMutableBufferPointer { out in
                let outBase = out.baseAddress
                neighbours.squaredDistance.withUnsafeBufferPointer { distances in
                    DispatchQueue.concurrentPerform(iterations: min(rowsPerCheck, rows - firstRow)) { offset in
                        let start = (firstRow + offset) * neighbourCount
                        calibrateRow(distances: UnsafeBufferPointer(rebasing: distances[start..<start + neighbourCount]),
                                     targetEntropy: targetEntropy,
                                     output: UnsafeMutableBufferPointer(start: outBase.map { $0 + start },
                                                                        count: neighbourCount))
                    }
                }
            }
        }
        return symmetrise(rows: rows, k: neighbourCount, neighbourIndex: neighbours.index, conditional: conditional)
    }

    /// Binary search on beta = 1 / (2 sigma^2) until the row's entropy equals log(perplexity)
    /// (tolerance 1e-5, at most 100 steps, as in scikit-learn), then writes the row's p_{j|i}.
    static func calibrateRow(distances: UnsafeBufferPointer<Float>, targetEntropy: Double,
                             output: UnsafeMutableBufferPointer<Double>) {
        // NOTE: shifting by the smallest distance leaves P unchanged but keeps exp from underflowing
        // to all zeros when distances are large.
        let minimum = Double(distances.min() ?? 0)
        var beta = 1.0
        var betaLow = -Double.infinity
        var betaHigh = Double.infinity
        for _ in 0..<100 {
            var sum = 0.0
            var weightedDistance = 0.0
            for j in 0..<distances.count {
                let shifted = Double(distances[j]) - minimum
                let weight = Foundation.exp(-shifted * beta)
                output[j] = weight
                sum += weight
                weightedDistance += shifted * weight
            }
            sum = max(sum, Double.leastNormalMagnitude)
            let entropy = Foundation.log(sum) + beta * weightedDistance / sum
            let difference = entropy - targetEntropy
            for j in 0..<distances.count { output[j] /= sum }
            if abs(difference) <= 1e-5 { break }
            if difference > 0 {
                betaLow = beta
                beta = betaHigh == .infinity ? beta * 2 : (beta + betaHigh) / 2
            } else {
                betaHigh = beta
                beta = betaLow == -.infinity ? beta / 2 : (beta + betaLow) / 2
            }
        }
    }

    /// P = (C + C^T) / sum, with C the k-nearest conditional matrix; rows sorted by column.
    static func symmetrise(rows: Int, k: Int, neighbourIndex: [Int32], conditional: [Double]) -> SparseAffinities {
        var entries = [[(Int32, Double)]](repeating: [], count: rows)
        for i in 0..<rows { entries[i].reserveCapacity(2 * k) }
        for i in 0..<rows {
            for slot in 0..<k {
                let j = Int(neighbourIndex[i * k + slot])
                let p = conditional[i * k + slot]
                entries[i].append((Int32(j), p))
                entries[j].append((Int32(i), p))
            }
        }
        var rowStart = [Int](repeating: 0, count: rows + 1)
        var columnIndex: [Int32] = []
        var value: [Double] = []
        columnIndex.reserveCapacity(2 * rows * k)
        value.reserveCapacity(2 * rows * k)
        for i in 0..<rows {
            entries[i].sort { $0.0 < $1.0 }
            var cursor = 0
            while cursor < entries[i].count {
                let column = entries[i][cursor].0
                var sum = 0.0
                while cursor < entries[i].count, entries[i][cursor].0 == column {
                    sum += entries[i][cursor].1
                    cursor += 1
                }
                columnIndex.append(column)
                value.append(sum)
            }
            rowStart[i + 1] = columnIndex.count
        }
        let total = value.reduce(0, +)
        if total > 0 { for index in value.indices { value[index] /= total } }
        return SparseAffinities(rowStart: rowStart, columnIndex: columnIndex, value: value)
    }
}
