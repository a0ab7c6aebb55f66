import XCTest
@testable import Engine

/// The ring search against a scan of every cell, and the grid of thousands in reasonable time.
final class NearestFreeCellTests: XCTestCase {
    func testRingSearchEqualsAFullScan() throws {
        var random = SeededRandom(seed: 9)
        let (columns, rows) = (19, 17)
        let positions = (0..<300).map { _ in
            (Double(random.integer(in: 0..<1_801)) / 100, Double(random.integer(in: 0..<1_601)) / 100 * 0.5)
        }
        let fast = try NearestFreeCell.assign(positions: positions, columns: columns, rows: rows, seed: 3)
        // Brute force in the same seeded order: every free cell compared.
        var order = Array(0..<positions.count)
        var shuffle = SeededRandom(seed: 3)
        for position in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(position, shuffle.integer(in: 0..<(position + 1))) }
        var taken = [Bool](repeating: false, count: columns * rows)
        var brute = [Int](repeating: -1, count: positions.count)
        for point in order {
            var best = -1, bestDistance = Double.infinity
            for cell in 0..<(columns * rows) where !taken[cell] {
                let dx = positions[point].0 - Double(cell % columns), dy = positions[point].1 - Double(cell / columns)
                if dx * dx + dy * dy < bestDistance { (best, bestDistance) = (cell, dx * dx + dy * dy) }
            }
            brute[point] = best
            taken[best] = true
        }
        XCTAssertEqual(fast, brute)
        XCTAssertEqual(Set(fast).count, 300)
    }

    func testThreeThousandPointsPlaceQuicklyAndDistinctly() throws {
        var random = SeededRandom(seed: 1)
        let points = (0..<6_000).map { _ in Float(random.integer(in: 0..<10_000)) / 100 }
        let start = Date()
        let cells = try EmbedGrid.assign(points: points, columns: 55, rows: 55)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20) // debug build; release is far below a second
        XCTAssertEqual(Set(cells).count, 3_000)
        XCTAssertFalse(cells.contains(-1))
    }
}
