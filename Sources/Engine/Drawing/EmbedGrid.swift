/// Pictures laid out on a grid by their 2-D embedding positions, each in its own cell, as in
/// Karpathy's t-SNE of CNN codes (lecture 004): the map's neighbourhoods stay, the overlap goes.
public enum EmbedGrid {
    /// The side of one grid cell in pixels: big enough to recognise a picture, small enough that a
    /// grid of hundreds stays a displayable image.
    public static let cellSizeRange = NumberRange.closed(8, 256)
    /// The most points a grid places (a 100 x 100 grid; at 48 px a cell, a 4,800-pixel square picture).
    public static let maximumPoints = 10_000
    /// Cells up to which the assignment is exact (Hungarian); beyond, greedy.
    static let exactCellLimit = 400

    /// Assigns n points (n x 2 row-major) to cells of a columns x rows grid covering the points'
    /// bounding box, minimising the total squared distance from each point to its cell's centre.
    /// Exact (Hungarian algorithm) up to 400 cells; beyond, each point in a seeded random order
    /// takes its nearest free cell (`NearestFreeCell`, as Karpathy's cnnembed grids). Returns one cell index (row * columns + column) per point, or -1 for
    /// points left over when there are more points than cells. No two points share a cell.
    /// Throws `EmbeddingError` for a coordinate that is not finite (as `EmbeddingInput` checks every
    /// matrix), `EngineError.invalid` past `maximumPoints`, `EngineError.cancelled` when interrupted.
    public static func assign(points: [Float], columns: Int, rows: Int) throws -> [Int] {
        let n = points.count / 2
        try EmbeddingInput.validate(points, rows: n, columns: 2, method: "embedgrid")
        guard n <= maximumPoints else {
            throw EngineError.invalid("embedgrid: \(n) points are too many for one grid (at most \(maximumPoints))")
        }
        let cells = max(columns, 0) * max(rows, 0)
        guard n > 0, cells > 0 else { return [Int](repeating: -1, count: n) }
        // Double throughout: the extent of two large Float coordinates may overflow Float.
        let xs = (0..<n).map { Double(points[2 * $0]) }, ys = (0..<n).map { Double(points[2 * $0 + 1]) }
        let minX = xs.min() ?? 0, maxX = xs.max() ?? 0, minY = ys.min() ?? 0, maxY = ys.max() ?? 0
        // Positions in cell units: the bounding box maps onto the centres of the outer cells.
        func gridPosition(_ i: Int) -> (Double, Double) {
            let u = maxX > minX ? (xs[i] - minX) / (maxX - minX) : 0.5
            let v = maxY > minY ? (ys[i] - minY) / (maxY - minY) : 0.5
            return (u * Double(columns - 1), (1 - v) * Double(rows - 1))   // up in the plot is up on screen
        }
        let positions = (0..<n).map(gridPosition)
        func cost(_ point: Int, _ cell: Int) -> Double {
            let dx = positions[point].0 - Double(cell % columns), dy = positions[point].1 - Double(cell / columns)
            return dx * dx + dy * dy
        }
        if cells <= exactCellLimit, n <= cells {
            return try LinearAssignment.solve(rows: n, columns: cells, cost: cost)
        }
        return try NearestFreeCell.assign(positions: positions, columns: columns, rows: rows)
    }

    /// Draws each picture into its assigned cell of a square grid (side ceil(sqrt(n)) unless given).
    /// Throws `EngineError.shapeMismatch` unless there is one picture per point, `EngineError.invalid`
    /// for a cell size outside `cellSizeRange`, and what `assign` throws.
    public static func render(title: String, points: [Float], pictures: [Canvas], gridSide: Int? = nil,
                              cellSize: Int = 48) throws -> Canvas {
        let n = points.count / 2
        guard points.count % 2 == 0, pictures.count == n, n > 0 else {
            throw EngineError.shapeMismatch("embedgrid: \(points.count) coordinates (2 per point) for \(pictures.count) pictures")
        }
        try cellSizeRange.check(cellSize, "cell size", in: "embedgrid")
        let (_, computedSide) = TileGrid.shape(count: n)
        let side = max(gridSide ?? computedSide, 1)
        let assignment = try assign(points: points, columns: side, rows: side)
        let gap = 8
        let titleHeight = TextMetrics.lineHeight(scale: 2) + 10
        let width = max(side * cellSize + 2 * gap, TextMetrics.width(of: title, scale: 2) + 2 * gap)
        var canvas = Canvas(width: width, height: titleHeight + side * cellSize + gap, background: .white)
        canvas.drawText(title, centerX: width / 2, y: 6, scale: 2, maxWidth: width - 2 * gap)
        let left = (width - side * cellSize) / 2
        for (index, cell) in assignment.enumerated() where cell >= 0 {
            try Cancellation.check()
            let picture = pictures[index]
            let longer = max(picture.width, picture.height, 1)
            let w = max(picture.width * cellSize / longer, 1), h = max(picture.height * cellSize / longer, 1)
            canvas.drawCanvas(picture, x: left + (cell % side) * cellSize + (cellSize - w) / 2,
                              y: titleHeight + (cell / side) * cellSize + (cellSize - h) / 2,
                              targetWidth: w, targetHeight: h, interpolation: .bilinear)
        }
        return canvas
    }
}
