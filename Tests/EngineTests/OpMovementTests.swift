import XCTest
@testable import Engine

final class OpMovementTests: XCTestCase {
    func testReshapeAndFlatten() throws {
        let x = try Tensor(shape: [2, 3, 2], data: (0..<12).map(Float.init))
        XCTAssertEqual(try x.reshape([3, -1]).shape, [3, 4])
        XCTAssertEqual(try x.flatten().shape, [2, 6])
        XCTAssertThrowsError(try x.reshape([5, -1]))
        XCTAssertThrowsError(try x.reshape([-1, -1]))
    }

    func testSliceAndConcat() throws {
        let x = try Tensor(shape: [2, 3], data: [0, 1, 2, 3, 4, 5])
        let middle = try x.slice(axis: 1, range: 1..<3)
        assertClose(middle.data, [1, 2, 4, 5])
        let joined = try Tensor.concat([x, middle], axis: 1)
        XCTAssertEqual(joined.shape, [2, 5])
        assertClose(joined.data, [0, 1, 2, 1, 2, 3, 4, 5, 4, 5])
        XCTAssertThrowsError(try x.slice(axis: 1, range: 2..<4))
        XCTAssertThrowsError(try Tensor.concat([x, try Tensor(zeros: [3, 3])], axis: 1))
    }

    func testPadAndRoll() throws {
        let x = try Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])
        let padded = try x.pad(top: 1, left: 0, bottom: 0, right: 1, value: -1)
        XCTAssertEqual(padded.shape, [1, 1, 3, 3])
        assertClose(padded.data, [-1, -1, -1, 1, 2, -1, 3, 4, -1])
        let grid = try Tensor(shape: [1, 3, 3], data: (1...9).map(Float.init))
        // Down by one, right by two (= left by one).
        assertClose(try grid.roll(dy: 1, dx: 2).data, [8, 9, 7, 2, 3, 1, 5, 6, 4])
        assertClose(try grid.roll(dy: -3, dx: 3).data, grid.data)
    }

    /// PyTorch's F.interpolate(x, size=4, mode='bilinear', align_corners=False) of [[1,2],[3,4]].
    func testBilinearMatchesPyTorch() throws {
        let x = try Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])
        let y = try x.upsample(height: 4, width: 4, mode: .bilinear)
        assertClose(y.data, [1.0, 1.25, 1.75, 2.0,
                             1.5, 1.75, 2.25, 2.5,
                             2.5, 2.75, 3.25, 3.5,
                             3.0, 3.25, 3.75, 4.0])
        let nearest = try x.upsample(height: 3, width: 4, mode: .nearest)
        // Rows floor(y·2/3) = 0, 0, 1; columns floor(x/2) = 0, 0, 1, 1.
        assertClose(nearest.data, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4])
    }

    func testGradients() throws {
        let x = try GradientCheck.random([2, 3, 4, 5], seed: 50)
        let y = try GradientCheck.random([2, 2, 4, 5], seed: 51)
        try GradientCheck.assertMatches([x]) { try $0[0].reshape([6, -1]) }
        try GradientCheck.assertMatches([x]) { try $0[0].slice(axis: 2, range: 1..<3) }
        try GradientCheck.assertMatches([x, y]) { try Tensor.concat([$0[0], $0[1], $0[0]], axis: 1) }
        try GradientCheck.assertMatches([x]) { try $0[0].pad(top: 1, left: 2, bottom: 0, right: 3, value: 0.5) }
        try GradientCheck.assertMatches([x]) { try $0[0].roll(dy: 3, dx: -2) }
        try GradientCheck.assertMatches([x]) { try $0[0].upsample(height: 7, width: 9, mode: .bilinear) }
        try GradientCheck.assertMatches([x]) { try $0[0].upsample(height: 3, width: 2, mode: .bilinear) }
        try GradientCheck.assertMatches([x]) { try $0[0].upsample(height: 8, width: 11, mode: .nearest) }
    }
}
