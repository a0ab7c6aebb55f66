/// The search trees and the three stages (growth, augmentation, adoption) of the
/// Boykov-Kolmogorov max-flow algorithm, on a `GridMaxFlow` graph.
///
/// Y. Boykov and V. Kolmogorov, "An Experimental Comparison of Min-Cut/Max-Flow Algorithms for
/// Energy Minimization in Vision", PAMI 2004. Includes the paper's timestamp/distance heuristic
/// for choosing new parents of orphans close to a terminal.
struct BoykovKolmogorovSearch {
    enum Tree: UInt8 { case free, source, sink }

    var graph: GridMaxFlow
    var tree: [Tree]
    /// Direction from a node to its parent (0...3), `terminalParent`, or `noParent`.
    var parent: [Int8]
    var active: [Int] = []
    var activeHead = 0
    var isActive: [Bool]
    var orphans: [Int] = []
    /// Timestamp and distance-to-terminal of the last time a node's origin was verified.
    var stamp: [Int]
    var distance: [Int]
    var time = 0
    var pushedFlow: Double = 0

    static let terminalParent: Int8 = 4
    static let noParent: Int8 = -1

    init(graph: GridMaxFlow) {
        self.graph = graph
        let count = graph.height * graph.width
        tree = [Tree](repeating: .free, count: count)
        parent = [Int8](repeating: BoykovKolmogorovSearch.noParent, count: count)
        isActive = [Bool](repeating: false, count: count)
        stamp = [Int](repeating: 0, count: count)
        distance = [Int](repeating: 0, count: count)
        for node in 0..<count where graph.terminal[node] != 0 {
            tree[node] = graph.terminal[node] > 0 ? .source : .sink
            parent[node] = BoykovKolmogorovSearch.terminalParent
            distance[node] = 1
            activate(node)
        }
    }

    mutating func activate(_ node: Int) {
        guard !isActive[node] else { return }
        isActive[node] = true
        active.append(node)
    }

    /// Residual capacity of the edge from `from` towards its neighbour in `direction`.
    @inline(__always)
    func capacity(_ from: Int, _ direction: Int) -> Float { graph.residual[4 * from + direction] }

    mutating func run() throws {
        var iterations = 0
        while let (sourceSide, sinkSide, direction) = grow() {
            time += 1
            augment(sourceSide: sourceSide, sinkSide: sinkSide, direction: direction)
            adopt()
            iterations += 1
            if iterations % 256 == 0 { try Cancellation.check() }
        }
    }

    /// Growth stage: expands active nodes until the trees touch. Returns the source-tree node,
    /// the sink-tree node and the direction of the edge between them, or nil when no path is left.
    mutating func grow() -> (Int, Int, Int)? {
        while activeHead < active.count {
            let node = active[activeHead]
            guard isActive[node], tree[node] != .free else {
                isActive[node] = false
                activeHead += 1
                continue
            }
            for direction in 0..<4 {
                guard let other = graph.neighbour(of: node, direction) else { continue }
                // Source tree grows along node -> other; sink tree along other -> node.
                let open = tree[node] == .source ? capacity(node, direction) > 0
                                                 : capacity(other, direction ^ 1) > 0
                guard open else { continue }
                if tree[other] == .free {
                    tree[other] = tree[node]
                    parent[other] = Int8(direction ^ 1)
                    stamp[other] = stamp[node]
                    distance[other] = distance[node] + 1
                    activate(other)
                } else if tree[other] != tree[node] {
                    return tree[node] == .source ? (node, other, direction) : (other, node, direction ^ 1)
                }
            }
            isActive[node] = false
            activeHead += 1
            if activeHead > 4096 && activeHead * 2 > active.count {
                active.removeFirst(activeHead)
                activeHead = 0
            }
        }
        return nil
    }
}
