import XCTest
@testable import Engine

final class DBSCANTests: XCTestCase {
    func testHandMadeClustersBorderAndNoise() throws {
        // Cluster A: a 2 x 2 square of side 1 plus a border point 1 to the right of (1, 0).
        // Cluster B: three points in a row at spacing 0.5. One far outlier.
        let points: [Float] = [
            0, 0, 1, 0, 0, 1, 1, 1,   // A core points (each has 3 neighbours within 1, itself included)
            2, 0,                     // border of A: only (1,0) and itself within 1 -> 2 < minPoints
            10, 10, 10.5, 10, 11, 10, // B
            50, 50,                   // noise
        ]
        let labels = try DBSCAN.cluster(points, rows: 9, columns: 2, eps: 1, minPoints: 3)
        XCTAssertEqual(labels, [0, 0, 0, 0, 0, 1, 1, 1, -1])
    }

    func testMinPointsCountsThePointItself() throws {
        // Two points at distance 1: with minPoints 2 both are core; with 3 both are noise.
        XCTAssertEqual(try DBSCAN.cluster([0, 0, 1, 0], rows: 2, columns: 2, eps: 1, minPoints: 2), [0, 0])
        XCTAssertEqual(try DBSCAN.cluster([0, 0, 1, 0], rows: 2, columns: 2, eps: 1, minPoints: 3), [-1, -1])
    }

    func testChainsGrowThroughCorePoints() throws {
        // A line of points at spacing 0.9 with eps 1 is one cluster however long it is.
        let points = (0..<20).flatMap { index -> [Float] in [Float(index) * 0.9, 0] }
        XCTAssertEqual(Set(try DBSCAN.cluster(points, rows: 20, columns: 2, eps: 1, minPoints: 2)), [0])
    }

    func testInvalidParameters() {
        XCTAssertThrowsError(try DBSCAN.cluster([0, 0], rows: 1, columns: 2, eps: 0, minPoints: 1))
        XCTAssertThrowsError(try DBSCAN.cluster([0, 0], rows: 1, columns: 2, eps: 1, minPoints: 0))
    }
}
