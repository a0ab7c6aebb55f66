import COpenBLAS
import Dispatch

/// Exact k-nearest-neighbour search by squared Euclidean distance, computed in blocks of rows
/// with one sgemm each (|a|^2 + |b|^2 - 2 a.b) so memory stays at block x n.
struct NearestNeighbours {
    /// rows x k: neighbour indices of each row, nearest first (the point itself excluded).
    var index: [Int32]
    /// rows x k: the matching squared distances.
    var squaredDistance: [Float]

    /// Blocks searched in parallel between two cancellation checks.
    static let blocksPerCheck = 16

    /// Throws `EngineError.cancelled` between groups of blocks when the cell is interrupted.
    static func search(points: [Float], rows: Int, columns: Int, k: Int) throws -> NearestNeighbours {
        var norms = [Float](repeating: 0, count: rows)
        for i in 0..<rows {
            var sum: Float = 0
            for c in 0..<columns { sum += points[i * columns + c] * points[i * columns + c] }
            norms[i] = sum
        }
        var index = [Int32](repeating: 0, count: rows * k)
        var distance = [Float](repeating: 0, count: rows * k)
        let blockSize = 128
        let blockCount = (rows + blockSize - 1) / blockSize
        for firstBlock in stride(from: 0, to: blockCount, by: blocksPerCheck) {
            try Cancellation.check()
            let blocks = min(blocksPerCheck, blockCount - firstBlock)
            index.withUnsafeMutableBufferPointer { indexOut in
                distance.withUnsafeMutableBufferPointer { distanceOut in
                    let indexBase = indexOut.baseAddress
                    let distanceBase = distanceOut.baseAddress
                    points.withUnsafeBufferPointer { x in
                        norms.withUnsafeBufferPointer { norm in
                            DispatchQueue.concurrentPerform(iterations: blocks) { offset in
                                let block = firstBlock + offset
                                let first = block * blockSize
                                let count = min(blockSize, rows - first)
                                var products = [Float](repeating: 0, count: count * rows)
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(rows),
                                            Int32(columns), 1.0, x.baseAddress.map { $0 + first * columns },
                                            Int32(columns), x.baseAddress, Int32(columns), 0.0, &products, Int32(rows))
                                var heap = NeighbourHeap(capacity: k)
                                for local in 0..<count {
                                    let i = first + local
                                    heap.removeAll()
                                    for j in 0..<rows where j != i {
                                        let d = max(norm[i] + norm[j] - 2 * products[local * rows + j], 0)
                                        heap.offer(distance: d, index: Int32(j))
                                    }
                                    heap.writeSorted(distances: distanceBase.map { $0 + i * k },
                                                     indices: indexBase.map { $0 + i * k })
                                }
                            }
                        }
                    }
                }
            }
        }
        return NearestNeighbours(index: index, squaredDistance: distance)
    }
}
