/// A point-region quadtree over 2-D positions, summarising each cell by its point count and
/// centre of mass, for the Barnes-Hut approximation of t-SNE's repulsive forces (van der Maaten 2013).
///
/// Nodes live in one flat array; the four children of a node are consecutive, so the tree is
/// rebuilt every iteration without per-node allocation.
struct QuadTree {
    struct Node {
        var centreX: Double
        var centreY: Double
        var halfWidth: Double
        var massX = 0.0
        var massY = 0.0
        var count: Int32 = 0
        /// Index of the first of four children, or -1 for a leaf.
        var firstChild: Int32 = -1
        /// The point a leaf holds (several coincident points share one leaf), or -1 when empty.
        var point: Int32 = -1
    }

    /// What a traversal reads of a node, packed to 40 bytes so the hot loop touches less memory.
    struct Cell {
        var massX: Double
        var massY: Double
        /// width^2 / theta^2: the cell is summarised when the squared distance exceeds it.
        var openingDistanceSquared: Double
        var count: Int32
        /// Index of the first non-empty child in `cells`; the non-empty children are consecutive.
        var firstChild: Int32
        /// How many non-empty children (0 for a leaf).
        var childCount: Int32
        var point: Int32
    }

    private(set) var nodes: [Node] = []
    private(set) var cells: [Cell] = []
    /// The points in depth-first leaf order: neighbours in this order take similar paths through
    /// the tree, so traversing them one after another reuses cache and branch history.
    private(set) var spatialOrder: [Int32] = []

    /// Builds the tree over `positions` (n x 2, row-major).
    init(positions: UnsafeBufferPointer<Double>, count: Int, theta: Double) {
        var minX = Double.infinity, minY = Double.infinity
        var maxX = -Double.infinity, maxY = -Double.infinity
        for i in 0..<count {
            minX = min(minX, positions[2 * i]); maxX = max(maxX, positions[2 * i])
            minY = min(minY, positions[2 * i + 1]); maxY = max(maxY, positions[2 * i + 1])
        }
        let half = max(maxX - minX, maxY - minY) / 2 * (1 + 1e-5) + 1e-12
        nodes.reserveCapacity(4 * count + 1)
        nodes.append(Node(centreX: (minX + maxX) / 2, centreY: (minY + maxY) / 2, halfWidth: half))
        // NOTE: below this width points are treated as coincident, which bounds the depth.
        let smallestHalfWidth = half * 1e-12
        for i in 0..<count { insert(point: i, x: positions[2 * i], y: positions[2 * i + 1],
                                    smallestHalfWidth: smallestHalfWidth) }
        for index in nodes.indices where nodes[index].count > 0 {
            nodes[index].massX /= Double(nodes[index].count)
            nodes[index].massY /= Double(nodes[index].count)
        }
        // Traversal copy: empty cells dropped, breadth-first so siblings sit together in memory.
        func cell(_ node: Node) -> Cell {
            let width = 2 * node.halfWidth
            return Cell(massX: node.massX, massY: node.massY,
                        openingDistanceSquared: theta > 0 ? width * width / (theta * theta) : .infinity,
                        count: node.count, firstChild: -1, childCount: 0, point: node.point)
        }
        cells.reserveCapacity(nodes.count)
        cells.append(cell(nodes[0]))
        var source: [Int] = [0]
        var cursor = 0
        while cursor < cells.count {
            let node = nodes[source[cursor]]
            if node.firstChild >= 0 {
                cells[cursor].firstChild = Int32(cells.count)
                for offset in 0..<4 where nodes[Int(node.firstChild) + offset].count > 0 {
                    cells.append(cell(nodes[Int(node.firstChild) + offset]))
                    source.append(Int(node.firstChild) + offset)
                    cells[cursor].childCount += 1
                }
            }
            cursor += 1
        }
        spatialOrder.reserveCapacity(count)
        var pending: [Int32] = [0]
        while let index = pending.popLast() {
            let node = nodes[Int(index)]
            if node.firstChild >= 0 {
                for offset in (0..<Int32(4)).reversed() { pending.append(node.firstChild + offset) }
            } else if node.point >= 0 {
                spatialOrder.append(node.point)
            }
        }
        // Coincident points share their leaf's single index; they go last, in index order.
        if spatialOrder.count < count {
            var listed = [Bool](repeating: false, count: count)
            for point in spatialOrder { listed[Int(point)] = true }
            for point in 0..<count where !listed[point] { spatialOrder.append(Int32(point)) }
        }
    }

    private func childOffset(of node: Int, x: Double, y: Double) -> Int {
        (x >= nodes[node].centreX ? 1 : 0) + (y >= nodes[node].centreY ? 2 : 0)
    }

    private mutating func insert(point: Int, x: Double, y: Double, smallestHalfWidth: Double) {
        var node = 0
        while true {
            nodes[node].count += 1
            nodes[node].massX += x
            nodes[node].massY += y
            if nodes[node].firstChild >= 0 {
                node = Int(nodes[node].firstChild) + childOffset(of: node, x: x, y: y)
                continue
            }
            if nodes[node].point < 0 {
                nodes[node].point = Int32(point)
                return
            }
            let existingCount = nodes[node].count - 1
            let existingX = (nodes[node].massX - x) / Double(existingCount)
            let existingY = (nodes[node].massY - y) / Double(existingCount)
            if (existingX == x && existingY == y) || nodes[node].halfWidth < smallestHalfWidth {
                return   // coincident: the leaf now stands for one more point at the same place
            }
            let first = nodes.count
            let quarter = nodes[node].halfWidth / 2
            for offset in 0..<4 {
                let dx = offset & 1 == 1 ? quarter : -quarter
                let dy = offset & 2 == 2 ? quarter : -quarter
                nodes.append(Node(centreX: nodes[node].centreX + dx, centreY: nodes[node].centreY + dy,
                                  halfWidth: quarter))
            }
            nodes[node].firstChild = Int32(first)
            let moved = first + childOffset(of: node, x: existingX, y: existingY)
            nodes[moved].count = existingCount
            nodes[moved].massX = existingX * Double(existingCount)
            nodes[moved].massY = existingY * Double(existingCount)
            nodes[moved].point = nodes[node].point
            nodes[node].point = -1
            node = first + childOffset(of: node, x: x, y: y)
        }
    }

    /// Unnormalised repulsion on point `i` at (x, y): returns sum_j q_ij^2 (y_i - y_j) and the
    /// partial normaliser sum_j q_ij with q_ij = 1 / (1 + |y_i - y_j|^2), summarising a cell by its
    /// centre of mass whenever width / distance < theta. theta = 0 opens every cell (exact).
    func repulsion(point i: Int, x: Double, y: Double, cells tree: UnsafeBufferPointer<Cell>,
                   stack: UnsafeMutablePointer<Int32>, stackCapacity: Int) -> (fx: Double, fy: Double, z: Double) {
        var fx = 0.0, fy = 0.0, z = 0.0
        guard !tree.isEmpty, tree[0].count > 0 else { return (0, 0, 0) }
        stack[0] = 0
        var top = 1
        while top > 0 {
            top -= 1
            let cell = tree[Int(stack[top])]
            let dx = x - cell.massX
            let dy = y - cell.massY
            let distanceSquared = dx * dx + dy * dy
            if cell.childCount == 0 {
                if Int(cell.point) == i || (dx == 0 && dy == 0) {
                    z += Double(cell.count - 1)   // coincident copies of i: q = 1, no force
                    continue
                }
            } else if !(distanceSquared > cell.openingDistanceSquared), top + 4 <= stackCapacity {
                // (A full stack, possible only at absurd depths, falls through to summarising.)
                for child in cell.firstChild..<(cell.firstChild + cell.childCount) {
                    stack[top] = child
                    top += 1
                }
                continue
            }
            let q = 1 / (1 + distanceSquared)
            let mass = Double(cell.count) * q
            z += mass
            fx += mass * q * dx
            fy += mass * q * dy
        }
        return (fx, fy, z)
    }
}
