import XCTest
@testable import Engine

/// embedgrid's points pass the one matrix check, and every long loop of the layout can be interrupted.
final class EmbedGridInputTests: XCTestCase {
    private func lattice(_ count: Int) -> [Float] {
        (0..<count).flatMap { [Float($0 % 7), Float($0 / 7)] }
    }

    func testNonFiniteOrOverflowingCoordinatesAreRefusedAtTheirRowAndColumn() {
        var points = lattice(4)
        points[3] = .nan   // row 1, column 1: what 1e400 - 1e400 becomes
        XCTAssertThrowsError(try EmbedGrid.assign(points: points, columns: 2, rows: 2)) { error in
            XCTAssertEqual(error as? EmbeddingError, .nonFiniteValue(method: "embedgrid", row: 1, column: 1))
            XCTAssertEqual("\(error)", "embedgrid: value at row 1, column 1 is not finite")
        }
        points = lattice(4)
        points[4] = Float(1e308)   // a finite language number, infinite as Float
        XCTAssertThrowsError(try EmbedGrid.assign(points: points, columns: 2, rows: 2)) { error in
            XCTAssertEqual(error as? EmbeddingError, .nonFiniteValue(method: "embedgrid", row: 2, column: 0))
        }
        // Finite, but the bounding box's width overflows Float: refused rather than NaN costs.
        points = lattice(4)
        points[0] = -3e38
        points[6] = 3e38
        XCTAssertThrowsError(try EmbedGrid.assign(points: points, columns: 2, rows: 2)) { error in
            XCTAssertEqual(error as? EmbeddingError, .valueTooLarge(method: "embedgrid", row: 0, column: 0, limit: 1e18))
        }
        // At the limit the layout is still exact: the four corners go to the four cells.
        let corners: [Float] = [-1e18, 1e18, 1e18, 1e18, -1e18, -1e18, 1e18, -1e18]
        XCTAssertEqual(try EmbedGrid.assign(points: corners, columns: 2, rows: 2), [0, 1, 2, 3])
    }

    func testLinearAssignmentRefusesNonFiniteCostsInsteadOfLoopingForever() {
        XCTAssertThrowsError(try LinearAssignment.solve(rows: 2, columns: 2) { row, column in row == 1 && column == 0 ? .nan : 1 }) { error in
            XCTAssertEqual(error as? EngineError, .invalid("linear assignment: the cost of row 1, column 0 is not finite"))
        }
    }

    /// Runs `body` with a handler that says "stop" at its `limit + 1`-th question; returns the questions asked.
    private func interrupted(after limit: Int, _ body: () throws -> Void) -> (Int, Error?) {
        var asked = 0
        var thrown: Error?
        Cancellation.withHandler({ asked += 1; return asked > limit }) {
            do { try body() } catch { thrown = error }
        }
        return (asked, thrown)
    }

    func testInterruptingStopsTheExactAndGreedyAssignmentsAndTheDrawing() {
        // Exact path (20 points, 25 cells): one check per row of the Hungarian algorithm.
        let exact = interrupted(after: 5) { _ = try EmbedGrid.assign(points: self.lattice(20), columns: 5, rows: 5) }
        XCTAssertEqual(exact.1 as? EngineError, .cancelled)
        XCTAssertEqual(exact.0, 6)
        // Greedy path (450 points, 484 cells): one check per point while pairing.
        let greedy = interrupted(after: 100) { _ = try EmbedGrid.assign(points: self.lattice(450), columns: 22, rows: 22) }
        XCTAssertEqual(greedy.1 as? EngineError, .cancelled)
        XCTAssertEqual(greedy.0, 101)
        // Drawing: the 16 exact-assignment checks pass, then one check per picture drawn.
        let pictures = [Canvas](repeating: Canvas(width: 4, height: 4, background: .white), count: 16)
        let drawing = interrupted(after: 18) {
            _ = try EmbedGrid.render(title: "grid", points: self.lattice(16), pictures: pictures)
        }
        XCTAssertEqual(drawing.1 as? EngineError, .cancelled)
        XCTAssertEqual(drawing.0, 19)
        // Without an interrupt the same calls finish.
        XCTAssertEqual(interrupted(after: .max) { _ = try EmbedGrid.render(title: "grid", points: self.lattice(16), pictures: pictures) }.1 == nil, true)
    }

    func testEmbeddingMethodsCheckForInterruptsToo() {
        var points: [Float] = []
        for index in 0..<300 {
            let x = Float(index % 17), y = Float(index / 17), z = Float((index * 7) % 5)
            points += [x, y, z]
        }
        let dbscan = interrupted(after: 10) { _ = try DBSCAN.cluster(points, rows: 300, columns: 3, eps: 1, minPoints: 3) }
        XCTAssertEqual(dbscan.1 as? EngineError, .cancelled)
        XCTAssertEqual(dbscan.0, 11)
        let tsne = interrupted(after: 0) { _ = try TSNE.embed(points, rows: 300, columns: 3, options: TSNE.Options(perplexity: 10)) }
        XCTAssertEqual(tsne.1 as? EngineError, .cancelled)
        let pca = interrupted(after: 0) { _ = try PCA.fit(points, rows: 300, columns: 3) }
        XCTAssertEqual(pca.1 as? EngineError, .cancelled)
    }
}
