import Dispatch
import Foundation

/// The gradient and the KL divergence of t-SNE for fixed affinities P, on 2-D positions.
///
/// dC/dy_i = 4 sum_j (e p_ij - q_ij) w_ij (y_i - y_j) with w_ij = 1 / (1 + |y_i - y_j|^2),
/// q_ij = w_ij / Z and e the exaggeration. It splits into an attractive part over the sparse P
/// and a repulsive part sum_j w_ij^2 (y_i - y_j) / Z over all pairs, computed exactly or by Barnes-Hut.
struct TSNEGradient {
    let affinities: SparseAffinities
    /// 0 means the exact O(n^2) repulsion; otherwise the Barnes-Hut opening angle.
    let theta: Double
    let workers = max(ProcessInfo.processInfo.activeProcessorCount, 1)

    /// Writes the gradient into `gradient` (n x 2) and returns the normaliser Z it used.
    @discardableResult
    func evaluate(positions: [Double], exaggeration: Double, gradient: inout [Double]) -> Double {
        let n = affinities.pointCount
        var repulsive = [Double](repeating: 0, count: 2 * n)
        let chunkCount = min(n, workers * 8)
        var partialZ = [Double](repeating: 0, count: chunkCount)
        let tree: QuadTree? = theta > 0
            ? positions.withUnsafeBufferPointer { QuadTree(positions: $0, count: n, theta: theta) } : nil
        // Exact with complete P: one fused pass over the pairs gives both halves of the gradient.
        let fuse = tree == nil && affinities.value.count == n * (n - 1)
        var attractive = [Double](repeating: 0, count: fuse ? 2 * n : 0)
        positions.withUnsafeBufferPointer { y in
            repulsive.withUnsafeMutableBufferPointer { rep in
                let repBase = rep.baseAddress
                guard let tree else {
                    partialZ = affinities.value.withUnsafeBufferPointer { p in
                        attractive.withUnsafeMutableBufferPointer { pull in
                            [Self.exactRepulsion(y: y, count: n, workers: workers, out: repBase,
                                                 complete: fuse ? p : nil, attractiveOut: pull.baseAddress)]
                        }
                    }
                    return
                }
                partialZ.withUnsafeMutableBufferPointer { zOut in
                    let zBase = zOut.baseAddress
                    DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                        let range = (chunk * n / chunkCount)..<((chunk + 1) * n / chunkCount)
                        zBase?[chunk] = Self.treeRepulsion(tree: tree, y: y, range: range, out: repBase)
                    }
                }
            }
        }
        let z = max(partialZ.reduce(0, +), Double.leastNormalMagnitude)
        if !fuse { attractive = attraction(positions: positions) }
        if gradient.count != 2 * n { gradient = [Double](repeating: 0, count: 2 * n) }
        for index in 0..<(2 * n) {
            gradient[index] = 4 * (exaggeration * attractive[index] - repulsive[index] / z)
        }
        return z
    }

    static func treeRepulsion(tree: QuadTree, y: UnsafeBufferPointer<Double>,
                              range: Range<Int>, out: UnsafeMutablePointer<Double>?) -> Double {
        let capacity = 512
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: capacity) { stack -> Double in
            var z = 0.0
            guard let stackBase = stack.baseAddress else { return 0 }
            tree.cells.withUnsafeBufferPointer { cells in
                for slot in range {
                    let i = Int(tree.spatialOrder[slot])
                    let force = tree.repulsion(point: i, x: y[2 * i], y: y[2 * i + 1], cells: cells,
                                               stack: stackBase, stackCapacity: capacity)
                    out?[2 * i] = force.fx
                    out?[2 * i + 1] = force.fy
                    z += force.z
                }
            }
            return z
        }
    }

    /// Exact forces over all pairs, each pair computed once (upper triangle) and applied to both
    /// points. Rows are split so every chunk has about the same number of pairs, and each chunk
    /// accumulates into its own buffer so no two threads write the same memory. When `complete`
    /// P is given (row i lists every j != i in order, so p_ij sits at i(n-1) + j - 1 for j > i),
    /// the attraction is fused into the same loop and written to `attractiveOut`.
    static func exactRepulsion(y: UnsafeBufferPointer<Double>, count n: Int, workers: Int,
                               out: UnsafeMutablePointer<Double>?, complete p: UnsafeBufferPointer<Double>? = nil,
                               attractiveOut: UnsafeMutablePointer<Double>? = nil) -> Double {
        guard n > 1 else { return 0 }
        let chunkCount = min(n - 1, max(workers, 1) * 4)
        let totalPairs = Double(n) * Double(n - 1) / 2
        var boundaries = [0]
        var pairsSoFar = 0.0
        for row in 0..<(n - 1) {
            pairsSoFar += Double(n - 1 - row)
            if pairsSoFar >= totalPairs * Double(boundaries.count) / Double(chunkCount), boundaries.count < chunkCount {
                boundaries.append(row + 1)
            }
        }
        boundaries.append(n)
        let chunks = boundaries.count - 1
        // Per chunk: 2n repulsive then 2n attractive components.
        let stride = 4 * n
        var buffers = [Double](repeating: 0, count: chunks * stride)
        var partialZ = [Double](repeating: 0, count: chunks)
        let fused = p != nil && p?.count == n * (n - 1)
        buffers.withUnsafeMutableBufferPointer { buffer in
            partialZ.withUnsafeMutableBufferPointer { zOut in
                let base = buffer.baseAddress, zBase = zOut.baseAddress
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    guard let force = base.map({ $0 + chunk * stride }) else { return }
                    let pull = force + 2 * n
                    var z = 0.0
                    for i in boundaries[chunk]..<boundaries[chunk + 1] {
                        let xi = y[2 * i], yi = y[2 * i + 1]
                        var fx = 0.0, fy = 0.0, ax = 0.0, ay = 0.0
                        let rowOffset = i * (n - 1) - 1
                        for j in (i + 1)..<n {
                            let dx = xi - y[2 * j], dy = yi - y[2 * j + 1]
                            let w = 1 / (1 + dx * dx + dy * dy)
                            let ww = w * w
                            z += 2 * w
                            fx += ww * dx
                            fy += ww * dy
                            force[2 * j] -= ww * dx
                            force[2 * j + 1] -= ww * dy
                            if fused, let p {
                                let pw = p[rowOffset + j] * w
                                ax += pw * dx
                                ay += pw * dy
                                pull[2 * j] -= pw * dx
                                pull[2 * j + 1] -= pw * dy
                            }
                        }
                        force[2 * i] += fx
                        force[2 * i + 1] += fy
                        pull[2 * i] += ax
                        pull[2 * i + 1] += ay
                    }
                    zBase?[chunk] = z
                }
            }
        }
        for index in 0..<(2 * n) {
            var repulsion = 0.0, attraction = 0.0
            for chunk in 0..<chunks {
                repulsion += buffers[chunk * stride + index]
                attraction += buffers[chunk * stride + 2 * n + index]
            }
            out?[index] = repulsion
            if fused { attractiveOut?[index] = attraction }
        }
        return partialZ.reduce(0, +)
    }

    /// sum_j p_ij w_ij (y_i - y_j) for every i, in parallel over rows of P.
    func attraction(positions: [Double]) -> [Double] {
        let n = affinities.pointCount
        var result = [Double](repeating: 0, count: 2 * n)
        let chunkCount = min(n, workers * 8)
        positions.withUnsafeBufferPointer { y in
            affinities.rowStart.withUnsafeBufferPointer { start in
                affinities.columnIndex.withUnsafeBufferPointer { column in
                    affinities.value.withUnsafeBufferPointer { p in
                        result.withUnsafeMutableBufferPointer { out in
                            let base = out.baseAddress
                            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                                for i in (chunk * n / chunkCount)..<((chunk + 1) * n / chunkCount) {
                                    var fx = 0.0, fy = 0.0
                                    for entry in start[i]..<start[i + 1] {
                                        let j = Int(column[entry])
                                        let dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1]
                                        let pw = p[entry] / (1 + dx * dx + dy * dy)
                                        fx += pw * dx
                                        fy += pw * dy
                                    }
                                    base?[2 * i] = fx
                                    base?[2 * i + 1] = fy
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// KL(P || Q) = sum p_ij log(p_ij / q_ij) over the nonzero p_ij, given the normaliser Z.
    func klDivergence(positions: [Double], z: Double) -> Double {
        var total = 0.0
        for i in 0..<affinities.pointCount {
            for entry in affinities.rowStart[i]..<affinities.rowStart[i + 1] {
                let p = affinities.value[entry]
                guard p > 0 else { continue }
                let j = Int(affinities.columnIndex[entry])
                let dx = positions[2 * i] - positions[2 * j], dy = positions[2 * i + 1] - positions[2 * j + 1]
                let q = 1 / (1 + dx * dx + dy * dy) / z
                total += p * Foundation.log(p / max(q, Double.leastNormalMagnitude))
            }
        }
        return total
    }

    /// The exact normaliser Z = sum_{i != j} w_ij, in parallel (O(n^2), fine up to tens of thousands).
    func exactNormaliser(positions: [Double]) -> Double {
        let n = affinities.pointCount
        let chunkCount = min(n, workers * 8)
        var partial = [Double](repeating: 0, count: chunkCount)
        positions.withUnsafeBufferPointer { y in
            partial.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress
                DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                    var z = 0.0
                    for i in (chunk * n / chunkCount)..<((chunk + 1) * n / chunkCount) {
                        let xi = y[2 * i], yi = y[2 * i + 1]
                        for j in (i + 1)..<n {
                            let dx = xi - y[2 * j], dy = yi - y[2 * j + 1]
                            z += 2 / (1 + dx * dx + dy * dy)
                        }
                    }
                    base?[chunk] = z
                }
            }
        }
        return partial.reduce(0, +)
    }
}
