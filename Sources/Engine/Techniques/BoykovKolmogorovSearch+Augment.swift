/// Augmentation and adoption stages of `BoykovKolmogorovSearch`.
extension BoykovKolmogorovSearch {
    /// The node one step towards the root of its tree.
    @inline(__always)
    func parentNode(of node: Int) -> Int? {
        let direction = Int(parent[node])
        guard direction >= 0, direction < 4 else { return nil }
        return graph.neighbour(of: node, direction)
    }

    /// Pushes the bottleneck flow along source -> ... -> sourceSide -> sinkSide -> ... -> sink
    /// and makes orphans of the nodes whose parent edge became saturated.
    mutating func augment(sourceSide: Int, sinkSide: Int, direction: Int) {
        var bottleneck = capacity(sourceSide, direction)
        var node = sourceSide
        while let up = parentNode(of: node) {
            bottleneck = Swift.min(bottleneck, capacity(up, Int(parent[node]) ^ 1))
            node = up
        }
        bottleneck = Swift.min(bottleneck, graph.terminal[node])
        node = sinkSide
        while let down = parentNode(of: node) {
            bottleneck = Swift.min(bottleneck, capacity(node, Int(parent[node])))
            node = down
        }
        bottleneck = Swift.min(bottleneck, -graph.terminal[node])

        graph.residual[4 * sourceSide + direction] -= bottleneck
        graph.residual[4 * sinkSide + (direction ^ 1)] += bottleneck
        node = sourceSide
        while let up = parentNode(of: node) {
            let toParent = Int(parent[node])
            graph.residual[4 * up + (toParent ^ 1)] -= bottleneck
            graph.residual[4 * node + toParent] += bottleneck
            if graph.residual[4 * up + (toParent ^ 1)] <= 0 { makeOrphan(node) }
            node = up
        }
        graph.terminal[node] -= bottleneck
        if graph.terminal[node] <= 0 { makeOrphan(node) }
        node = sinkSide
        while let down = parentNode(of: node) {
            let toParent = Int(parent[node])
            graph.residual[4 * node + toParent] -= bottleneck
            graph.residual[4 * down + (toParent ^ 1)] += bottleneck
            if graph.residual[4 * node + toParent] <= 0 { makeOrphan(node) }
            node = down
        }
        graph.terminal[node] += bottleneck
        if graph.terminal[node] >= 0 { makeOrphan(node) }
        pushedFlow += Double(bottleneck)
    }

    mutating func makeOrphan(_ node: Int) {
        parent[node] = BoykovKolmogorovSearch.noParent
        orphans.append(node)
    }

    /// Whether the edge between a tree node and its would-be parent can carry flow the way
    /// the tree needs: parent -> child in the source tree, child -> parent in the sink tree.
    @inline(__always)
    func treeEdgeOpen(child: Int, towards direction: Int, parentNode: Int, in side: Tree) -> Bool {
        side == .source ? capacity(parentNode, direction ^ 1) > 0 : capacity(child, direction) > 0
    }

    /// Steps from `node` to its terminal if its chain of parents reaches one, else nil.
    mutating func distanceToTerminal(from start: Int) -> Int? {
        var node = start
        var steps = 0
        while true {
            if stamp[node] == time { steps += distance[node]; break }
            let direction = parent[node]
            if direction == BoykovKolmogorovSearch.terminalParent { steps += 1; break }
            guard let up = parentNode(of: node) else { return nil }
            steps += 1
            node = up
        }
        // Remember the verified chain so later orphans stop walking early.
        node = start
        var remaining = steps
        while stamp[node] != time {
            stamp[node] = time
            distance[node] = remaining
            remaining -= 1
            guard let up = parentNode(of: node) else { break }
            node = up
        }
        return steps
    }

    /// Adoption stage: finds each orphan a new parent in its own tree whose chain still reaches
    /// the terminal, or frees it (its children become orphans and its neighbours active).
    mutating func adopt() {
        var next = 0
        while next < orphans.count {
            let orphan = orphans[next]
            next += 1
            let side = tree[orphan]
            var bestDirection = -1
            var bestDistance = Int.max
            for direction in 0..<4 {
                guard let candidate = graph.neighbour(of: orphan, direction), tree[candidate] == side,
                      treeEdgeOpen(child: orphan, towards: direction, parentNode: candidate, in: side),
                      let steps = distanceToTerminal(from: candidate), steps < bestDistance else { continue }
                bestDirection = direction
                bestDistance = steps
            }
            if bestDirection >= 0 {
                parent[orphan] = Int8(bestDirection)
                stamp[orphan] = time
                distance[orphan] = bestDistance + 1
                continue
            }
            tree[orphan] = .free
            for direction in 0..<4 {
                guard let other = graph.neighbour(of: orphan, direction), tree[other] == side else { continue }
                if treeEdgeOpen(child: orphan, towards: direction, parentNode: other, in: side) { activate(other) }
                if Int(parent[other]) == direction ^ 1 { makeOrphan(other) }
            }
        }
        orphans.removeAll(keepingCapacity: true)
    }
}
