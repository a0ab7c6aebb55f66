/// Minimum s-t cut on a 4-connected pixel grid by the Boykov-Kolmogorov max-flow algorithm.
///
/// GrabCut-style segmentation (lecture 003: "use GrabCut on the saliency map") needs a minimum
/// cut between a source (foreground) and a sink (background) over a graph with one node per
/// pixel. Boykov-Kolmogorov grows two search trees, one from each terminal, and reuses them
/// after each augmentation instead of starting a new breadth-first search, which on grid graphs
/// with many short paths is much faster than Edmonds-Karp or Dinic.
///
/// Capacities: `setTerminal` gives a pixel edges from the source and to the sink;
/// `setNeighbour` gives the (symmetric) edge between a pixel and its right or lower neighbour.
public struct GridMaxFlow {
    public let height: Int
    public let width: Int
    /// Residual capacity from a node towards each of its neighbours, 4 per node in the order
    /// right, left, down, up; direction `d ^ 1` is the opposite of `d`.
    var residual: [Float]
    /// Net terminal residual: > 0 is capacity from the source, < 0 capacity to the sink.
    var terminal: [Float]
    /// The flow pushed so far (includes the part of terminal capacities cancelled at once).
    public private(set) var flow: Double = 0

    static let right = 0, left = 1, down = 2, up = 3

    public init(height: Int, width: Int) throws {
        guard height > 0, width > 0 else {
            throw EngineError.invalid("max-flow: grid size \(height) x \(width) must be positive")
        }
        self.height = height
        self.width = width
        residual = [Float](repeating: 0, count: 4 * height * width)
        terminal = [Float](repeating: 0, count: height * width)
    }

    /// Sets pixel (y, x)'s capacities from the source and to the sink (both >= 0).
    /// Only the difference matters to the cut; the common part is flow that passes at once.
    public mutating func setTerminal(y: Int, x: Int, source: Float, sink: Float) {
        let node = y * width + x
        terminal[node] = source - sink
        flow += Double(Swift.min(source, sink))
    }

    /// Sets the capacity of the edge between (y, x) and its neighbour to the right (or below),
    /// the same in both directions.
    public mutating func setNeighbour(y: Int, x: Int, towardsRight: Bool, capacity: Float) {
        let node = y * width + x
        if towardsRight {
            guard x + 1 < width else { return }
            residual[4 * node + GridMaxFlow.right] = capacity
            residual[4 * (node + 1) + GridMaxFlow.left] = capacity
        } else {
            guard y + 1 < height else { return }
            residual[4 * node + GridMaxFlow.down] = capacity
            residual[4 * (node + width) + GridMaxFlow.up] = capacity
        }
    }

    /// The node reached from `node` by going in `direction`, or nil past the border.
    @inline(__always)
    func neighbour(of node: Int, _ direction: Int) -> Int? {
        let x = node % width
        switch direction {
        case GridMaxFlow.right: return x + 1 < width ? node + 1 : nil
        case GridMaxFlow.left: return x > 0 ? node - 1 : nil
        case GridMaxFlow.down: return node + width < height * width ? node + width : nil
        default: return node >= width ? node - width : nil
        }
    }

    /// Runs the algorithm to completion and returns, per pixel, whether it lies on the source
    /// side of a minimum cut (`true` = foreground). Checks for cancellation now and then.
    public mutating func solve() throws -> [Bool] {
        var solver = BoykovKolmogorovSearch(graph: self)
        try solver.run()
        flow += solver.pushedFlow
        residual = solver.graph.residual
        terminal = solver.graph.terminal
        return solver.tree.map { $0 == .source }
    }
}
