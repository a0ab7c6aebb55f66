import XCTest
@testable import Engine

final class PCATests: XCTestCase {
    /// Points spread 3 along (1, 1, 0)/sqrt2, 1 along (0, 0, 1), and not at all along (1, -1, 0)/sqrt2.
    static func knownAxesData() -> [Float] {
        var values: [Float] = []
        let pattern: [(Float, Float)] = [(3, 1), (-3, 1), (3, -1), (-3, -1), (0, 0)]
        for (a, b) in pattern {
            let s = 1 / Float(2).squareRoot()
            values += [5 + a * s, -2 + a * s, 1 + b]
        }
        return values
    }

    func testFindsKnownAxesAndVariances() throws {
        let result = try PCA.fit(Self.knownAxesData(), rows: 5, columns: 3, dims: 2)
        let s = 1 / Float(2).squareRoot()
        // First axis (1,1,0)/sqrt2, sign: largest entry positive (the tie resolves to the first).
        XCTAssertEqual(result.components[0], s, accuracy: 1e-5)
        XCTAssertEqual(result.components[1], s, accuracy: 1e-5)
        XCTAssertEqual(result.components[2], 0, accuracy: 1e-5)
        XCTAssertEqual(abs(result.components[5]), 1, accuracy: 1e-5)
        XCTAssertEqual(result.components[5], 1, accuracy: 1e-5)
        // Variances with n - 1 = 4: 4 * 9 / 4 = 9 and 4 * 1 / 4 = 1; the third is 0, so ratios 0.9, 0.1.
        XCTAssertEqual(result.explainedVariance[0], 9, accuracy: 1e-4)
        XCTAssertEqual(result.explainedVariance[1], 1, accuracy: 1e-4)
        XCTAssertEqual(result.explainedVarianceRatio[0], 0.9, accuracy: 1e-5)
        XCTAssertEqual(result.explainedVarianceRatio[1], 0.1, accuracy: 1e-5)
        XCTAssertEqual(result.mean, [5, -2, 1])
        // Projections are the pattern's coordinates.
        XCTAssertEqual(result.projected[0], 3, accuracy: 1e-4)
        XCTAssertEqual(result.projected[1], 1, accuracy: 1e-4)
        XCTAssertEqual(result.projected[2], -3, accuracy: 1e-4)
    }

    func testWideDataUsesGramPathWithSameAnswer() throws {
        // The same 5 points embedded in 8 dimensions (d > n): the extra columns are constant.
        let narrow = Self.knownAxesData()
        var wide: [Float] = []
        for row in 0..<5 { wide += Array(narrow[(row * 3)..<(row * 3 + 3)]) + [7, 7, 7, 7, 7] }
        let result = try PCA.fit(wide, rows: 5, columns: 8, dims: 2)
        XCTAssertEqual(result.explainedVariance[0], 9, accuracy: 1e-4)
        XCTAssertEqual(result.explainedVariance[1], 1, accuracy: 1e-4)
        XCTAssertEqual(result.components[0], 1 / Float(2).squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(result.components[8 + 2], 1, accuracy: 1e-5)
        XCTAssertEqual(result.projected[0], 3, accuracy: 1e-4)
    }

    func testBadInputsThrowClearErrors() {
        XCTAssertThrowsError(try PCA.fit([1, 2, 3], rows: 2, columns: 2)) { error in
            XCTAssertEqual(error as? EmbeddingError, .shapeMismatch(method: "pca", count: 3, rows: 2, columns: 2))
        }
        XCTAssertThrowsError(try PCA.fit([1, .nan, 3, 4], rows: 2, columns: 2)) { error in
            XCTAssertEqual(error as? EmbeddingError, .nonFiniteValue(method: "pca", row: 0, column: 1))
        }
        XCTAssertThrowsError(try PCA.fit([1, 2, 3, 4], rows: 2, columns: 2, dims: 3))
    }
}
