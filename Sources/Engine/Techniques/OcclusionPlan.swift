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
        if let problem = options.coverageProblem { throw EngineError.invalid("occlusion: " + problem) }
        guard options.window <= height, options.window <= width else {
            throw EngineError.invalid("occlusion: window \(options.window) does not fit the \(height) x \(width) input")
        }
        let ys = OcclusionPlan.starts(extent: height, window: options.window, stride: options.stride)
        let xs = OcclusionPlan.starts(extent: width, window: options.window, stride: options.stride)
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

    /// The square's first pixels along one axis: every `stride` from 0, plus one square flush
    /// with the far edge when the stride does not reach it, so every pixel is covered by a
    /// measured square (as sliding-window inference does) and none is filled in by guesswork.
    static func starts(extent: Int, window: Int, stride: Int) -> [Int] {
        var starts = Array(Swift.stride(from: 0, through: extent - window, by: stride))
        if let last = starts.last, last < extent - window { starts.append(extent - window) }
        return starts
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
    /// positions whose square covered it, so the heatmap lines up with the image. With a stride
    /// of at most the window and the last square flush with each edge, every pixel is covered.
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
        let values = zip(sums, counts).map { sum, count in count > 0 ? sum / count : Float.nan }
        return ScalarMap(validHeight: height, width: width, values: values)
    }
}
