/// Where the occluding square goes: the grid of top-left corners and how to paint it.
struct OcclusionPlan {
    let height: Int
    let width: Int
    let window: Int
    let rows: Int
    let columns: Int
    /// Top-left corners, row-major over the grid.
    let positions: [(y: Int, x: Int)]

    init(height: Int, width: Int, options: Occlusion.Options) throws {
        guard options.window >= 1, options.stride >= 1 else {
            throw EngineError.invalid("occlusion: window and stride must be >= 1, got \(options.window) and \(options.stride)")
        }
        guard options.window <= height, options.window <= width else {
            throw EngineError.invalid("occlusion: window \(options.window) does not fit the \(height) x \(width) input")
        }
        let ys = Array(stride(from: 0, through: height - options.window, by: options.stride))
        let xs = Array(stride(from: 0, through: width - options.window, by: options.stride))
        guard ys.count * xs.count <= 100_000 else {
            throw EngineError.invalid("occlusion: \(ys.count * xs.count) positions is too many; use a larger stride")
        }
        self.height = height
        self.width = width
        self.window = options.window
        rows = ys.count
        columns = xs.count
        positions = ys.flatMap { y in xs.map { x in (y, x) } }
    }

    /// Paints the square at `position` into one CHW item.
    func occlude(_ item: UnsafeMutablePointer<Float>, position: (y: Int, x: Int), fill: [Float]) {
        let plane = height * width
        for (channel, value) in fill.enumerated() {
            for y in position.y..<(position.y + window) {
                let row = item + channel * plane + y * width + position.x
                row.update(repeating: value, count: window)
            }
        }
    }

    /// The grid spread back over the input pixels: each pixel gets the mean probability of the
    /// positions whose square covered it, so the heatmap lines up with the image. Pixels no
    /// square reached (a margin when the stride does not divide evenly) take the nearest one's.
    func pixelMap(_ grid: ScalarMap) -> ScalarMap {
        var sums = [Float](repeating: 0, count: height * width)
        var counts = [Float](repeating: 0, count: height * width)
        for (index, position) in positions.enumerated() {
            for y in position.y..<(position.y + window) {
                for x in position.x..<(position.x + window) {
                    sums[y * width + x] += grid.values[index]
                    counts[y * width + x] += 1
                }
            }
        }
        let coveredHeight = (positions.last?.y ?? 0) + window, coveredWidth = (positions.last?.x ?? 0) + window
        var values = [Float](repeating: 0, count: height * width)
        for y in 0..<height {
            for x in 0..<width {
                let source = Swift.min(y, coveredHeight - 1) * width + Swift.min(x, coveredWidth - 1)
                values[y * width + x] = counts[source] > 0 ? sums[source] / counts[source] : 0
            }
        }
        return ScalarMap(validHeight: height, width: width, values: values)
    }
}
