import XCTest
@testable import Engine

/// Boykov-Kolmogorov on the pixel grid against a plain Edmonds-Karp written here.
final class TechniqueMaxFlowTests: XCTestCase {
    /// A reference max-flow on an adjacency matrix (node n = source, n + 1 = sink).
    private func edmondsKarp(_ capacity: [[Double]], source: Int, sink: Int) -> Double {
        var residual = capacity
        let count = capacity.count
        var total = 0.0
        while true {
            var previous = [Int](repeating: -1, count: count)
            previous[source] = source
            var queue = [source]
            var head = 0
            while head < queue.count, previous[sink] < 0 {
                let node = queue[head]; head += 1
                for next in 0..<count where previous[next] < 0 && residual[node][next] > 1e-9 {
                    previous[next] = node
                    queue.append(next)
                }
            }
            guard previous[sink] >= 0 else { return total }
            var bottleneck = Double.infinity
            var node = sink
            while node != source { bottleneck = min(bottleneck, residual[previous[node]][node]); node = previous[node] }
            node = sink
            while node != source {
                residual[previous[node]][node] -= bottleneck
                residual[node][previous[node]] += bottleneck
                node = previous[node]
            }
            total += bottleneck
        }
    }

    func testFlowMatchesEdmondsKarpAndCutMatchesFlowOnRandomGrids() throws {
        var random = SeededRandom(seed: 7)
        // Small grids of many shapes, then a few larger ones where orphans and adoption abound.
        for trial in 0..<46 {
            let height = trial < 40 ? 2 + trial % 5 : 14 + trial % 3
            let width = trial < 40 ? 2 + (trial * 3) % 6 : 17 - trial % 4
            let count = height * width
            var grid = try GridMaxFlow(height: height, width: width)
            var matrix = [[Double]](repeating: [Double](repeating: 0, count: count + 2), count: count + 2)
            var sourceCapacity = [Float](repeating: 0, count: count)
            var sinkCapacity = [Float](repeating: 0, count: count)
            var right = [Float](repeating: 0, count: count), down = [Float](repeating: 0, count: count)
            for y in 0..<height {
                for x in 0..<width {
                    let node = y * width + x
                    // Integers keep the float sums exact; about half the terminal edges are zero.
                    sourceCapacity[node] = random.uniform() < 0.5 ? Float(random.integer(in: 0..<10)) : 0
                    sinkCapacity[node] = random.uniform() < 0.5 ? Float(random.integer(in: 0..<10)) : 0
                    right[node] = Float(random.integer(in: 0..<6))
                    down[node] = Float(random.integer(in: 0..<6))
                    grid.setTerminal(y: y, x: x, source: sourceCapacity[node], sink: sinkCapacity[node])
                    matrix[count][node] = Double(sourceCapacity[node])
                    matrix[node][count + 1] = Double(sinkCapacity[node])
                    if x + 1 < width {
                        grid.setNeighbour(y: y, x: x, towardsRight: true, capacity: right[node])
                        matrix[node][node + 1] = Double(right[node]); matrix[node + 1][node] = Double(right[node])
                    }
                    if y + 1 < height {
                        grid.setNeighbour(y: y, x: x, towardsRight: false, capacity: down[node])
                        matrix[node][node + width] = Double(down[node]); matrix[node + width][node] = Double(down[node])
                    }
                }
            }
            let side = try grid.solve()
            let expected = edmondsKarp(matrix, source: count, sink: count + 1)
            XCTAssertEqual(grid.flow, expected, accuracy: 1e-6, "trial \(trial) (\(height) x \(width))")
            // The capacity of the returned cut equals the max flow (max-flow min-cut theorem).
            var cut = 0.0
            for node in 0..<count {
                cut += side[node] ? Double(sinkCapacity[node]) : Double(sourceCapacity[node])
                let (y, x) = (node / width, node % width)
                if x + 1 < width, side[node] != side[node + 1] { cut += Double(right[node]) }
                if y + 1 < height, side[node] != side[node + width] { cut += Double(down[node]) }
            }
            XCTAssertEqual(cut, expected, accuracy: 1e-6, "trial \(trial): cut capacity")
        }
    }

    func testHandComputedChain() throws {
        // source -5-> a -2-> b -7-> sink: the middle edge is the bottleneck, a is foreground.
        var grid = try GridMaxFlow(height: 1, width: 2)
        grid.setTerminal(y: 0, x: 0, source: 5, sink: 0)
        grid.setTerminal(y: 0, x: 1, source: 0, sink: 7)
        grid.setNeighbour(y: 0, x: 0, towardsRight: true, capacity: 2)
        let side = try grid.solve()
        XCTAssertEqual(grid.flow, 2)
        XCTAssertEqual(side, [true, false])
    }
}
