import XCTest
@testable import Engine

final class OpReduceTests: XCTestCase {
    func testValues() throws {
        let x = try Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(x.sum().data, [21])
        XCTAssertEqual(x.mean().data, [3.5])
        let columns = try x.sum(axis: 0)
        XCTAssertEqual(columns.shape, [3])
        assertClose(columns.data, [5, 7, 9])
        let rows = try x.mean(axis: -1, keepDims: true)
        XCTAssertEqual(rows.shape, [2, 1])
        assertClose(rows.data, [2, 5])
        XCTAssertThrowsError(try x.sum(axis: 2))
    }

    func testGradients() throws {
        let x = try GradientCheck.random([2, 3, 4], seed: 60)
        try GradientCheck.assertMatches([x]) { $0[0].sum() }
        try GradientCheck.assertMatches([x]) { $0[0].mean() }
        try GradientCheck.assertMatches([x]) { try $0[0].sum(axis: 1, keepDims: true) }
        try GradientCheck.assertMatches([x]) { try $0[0].mean(axis: 2) }
    }
}
