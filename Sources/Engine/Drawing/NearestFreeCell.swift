/// Grid placement for thousands of images (Karpathy's cnnembed t-SNE grids, lecture 004): each
/// point, in a seeded random order, takes the free cell nearest to it. A ring search around the
/// point's own cell finds that cell in time proportional to the area searched, so 2,000-10,000
/// points place in well under a second, where sorting every point-cell pair would not fit memory.
enum NearestFreeCell {
    /// Assigns points at grid positions (`positions[i]` in cell units: column, row as Doubles) to
    /// distinct cells of a columns x rows grid; returns a cell index (row * columns + column) per
    /// point, -1 for points beyond the number of cells. Equal distances go to the lower cell index.
    /// The order is a Fisher-Yates shuffle seeded by `seed`, so no part of the map is favoured.
    /// Throws `EngineError.cancelled` when interrupted.
    static func assign(positions: [(Double, Double)], columns: Int, rows: Int, seed: UInt64 = 0) throws -> [Int] {
        let n = positions.count, cells = columns * rows
        var result = [Int](repeating: -1, count: n)
        guard n > 0, cells > 0 else { return result }
        var order = Array(0..<n)
        var random = SeededRandom(seed: seed)
        for position in stride(from: n - 1, to: 0, by: -1) {
            order.swapAt(position, random.integer(in: 0..<(position + 1)))
        }
        var taken = [Bool](repeating: false, count: cells)
        for point in order.prefix(cells) {
            try Cancellation.check() // one check per point: a closure call, nothing beside the ring search
            let cell = nearest(to: positions[point], columns: columns, rows: rows, taken: taken)
            result[point] = cell
            taken[cell] = true
        }
        return result
    }

    /// The free cell nearest to `position`, searched in square rings around the cell under it.
    /// A cell in ring r is at least r - 1/2 from a point inside (or clamped to) the centre cell,
    /// so the search stops once (r - 1/2)^2 exceeds the best squared distance found.
    static func nearest(to position: (Double, Double), columns: Int, rows: Int, taken: [Bool]) -> Int {
        let (x, y) = (min(max(position.0, 0), Double(columns - 1)), min(max(position.1, 0), Double(rows - 1)))
        let centreColumn = Int(x.rounded()), centreRow = Int(y.rounded())
        var best = -1, bestDistance = Double.infinity
        let maximumRing = max(columns, rows)
        for ring in 0...maximumRing {
            let bound = Double(ring) - 0.5
            if best >= 0, bound > 0, bound * bound > bestDistance { break }
            for row in max(0, centreRow - ring)...min(rows - 1, centreRow + ring) {
                let onEdge = row == centreRow - ring || row == centreRow + ring
                let step = onEdge ? 1 : 2 * ring
                var column = centreColumn - ring
                while column <= centreColumn + ring {
                    if column >= 0, column < columns {
                        let cell = row * columns + column
                        if !taken[cell] {
                            let dx = x - Double(column), dy = y - Double(row)
                            let distance = dx * dx + dy * dy
                            if distance < bestDistance || (distance == bestDistance && cell < best) {
                                (best, bestDistance) = (cell, distance)
                            }
                        }
                    }
                    column += max(step, 1)
                }
            }
        }
        return best
    }
}
