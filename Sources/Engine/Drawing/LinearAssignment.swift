/// The Hungarian algorithm with potentials (Kuhn-Munkres, O(rows^2 x columns)): the assignment of
/// each row to a distinct column with the least total cost, for rows <= columns.
///
/// Why exact for small grids: greedy placement strands the last points far from their place; for a
/// few hundred cells the optimum is cheap and keeps every neighbourhood of the embedding intact.
enum LinearAssignment {
    /// Throws `EngineError.invalid` when a cost is not finite (no augmenting step can then be
    /// chosen, and the search would never end) and `EngineError.cancelled` between rows.
    static func solve(rows: Int, columns: Int, cost: (Int, Int) -> Double) throws -> [Int] {
        guard rows > 0, columns >= rows else { return [Int](repeating: -1, count: max(rows, 0)) }
        // 1-based arrays as in the classic formulation; column 0 is a virtual start.
        var rowPotential = [Double](repeating: 0, count: rows + 1)
        var columnPotential = [Double](repeating: 0, count: columns + 1)
        var matchedRow = [Int](repeating: 0, count: columns + 1)   // row matched to each column
        var way = [Int](repeating: 0, count: columns + 1)
        for row in 1...rows {
            try Cancellation.check()
            matchedRow[0] = row
            var column0 = 0
            var minimum = [Double](repeating: .infinity, count: columns + 1)
            var used = [Bool](repeating: false, count: columns + 1)
            repeat {
                used[column0] = true
                let row0 = matchedRow[column0]
                var delta = Double.infinity
                var column1 = 0
                for column in 1...columns where !used[column] {
                    let entry = cost(row0 - 1, column - 1)
                    guard entry.isFinite else {
                        throw EngineError.invalid("linear assignment: the cost of row \(row0 - 1), column \(column - 1) is not finite")
                    }
                    let reduced = entry - rowPotential[row0] - columnPotential[column]
                    if reduced < minimum[column] { minimum[column] = reduced; way[column] = column0 }
                    if minimum[column] < delta { delta = minimum[column]; column1 = column }
                }
                for column in 0...columns {
                    if used[column] {
                        rowPotential[matchedRow[column]] += delta
                        columnPotential[column] -= delta
                    } else {
                        minimum[column] -= delta
                    }
                }
                column0 = column1
            } while matchedRow[column0] != 0
            repeat {
                let previous = way[column0]
                matchedRow[column0] = matchedRow[previous]
                column0 = previous
            } while column0 != 0
        }
        var result = [Int](repeating: -1, count: rows)
        for column in 1...columns where matchedRow[column] > 0 { result[matchedRow[column] - 1] = column - 1 }
        return result
    }
}
