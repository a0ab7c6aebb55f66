import XCTest
@testable import Engine

final class OpLinearTests: XCTestCase {
    func testMatmulAndTranspose() throws {
        let a = try Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        let b = try Tensor(shape: [3, 2], data: [7, 8, 9, 10, 11, 12])
        assertClose(try a.matmul(b).data, [58, 64, 139, 154])
        let t = try a.transpose2D()
        XCTAssertEqual(t.shape, [3, 2])
        assertClose(t.data, [1, 4, 2, 5, 3, 6])
        XCTAssertThrowsError(try a.matmul(a))
    }

    func testLinearForward() throws {
        let x = try Tensor(shape: [1, 3], data: [1, 2, 3])
        let w = try Tensor(shape: [2, 3], data: [1, 0, -1, 2, 2, 2])
        let b = try Tensor(shape: [2], data: [0.5, -1])
        assertClose(try x.linear(weight: w, bias: b).data, [-1.5, 11])
    }

    func testGradients() throws {
        let a = try GradientCheck.random([3, 4], seed: 70)
        let b = try GradientCheck.random([4, 2], seed: 71)
        try GradientCheck.assertMatches([a, b]) { try $0[0].matmul($0[1]) }
        try GradientCheck.assertMatches([a]) { try $0[0].transpose2D() }
        let w = try GradientCheck.random([5, 4], seed: 72)
        let bias = try GradientCheck.random([5], seed: 73)
        try GradientCheck.assertMatches([a, w, bias]) { try $0[0].linear(weight: $0[1], bias: $0[2]) }
    }
}
