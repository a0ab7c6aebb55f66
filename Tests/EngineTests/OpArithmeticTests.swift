import XCTest
@testable import Engine

final class OpArithmeticTests: XCTestCase {
    func testSameShape() throws {
        let a = try Tensor(shape: [2, 2], data: [1, 2, 3, 4])
        let b = try Tensor(shape: [2, 2], data: [10, 20, 30, 40])
        assertClose(try (a + b).data, [11, 22, 33, 44])
        assertClose(try (b - a).data, [9, 18, 27, 36])
        assertClose(try (a * b).data, [10, 40, 90, 160])
        assertClose(try (b / a).data, [10, 10, 10, 10])
        assertClose((a * 2 + 1).data, [3, 5, 7, 9])
        assertClose((1 - a).data, [0, -1, -2, -3])
        assertClose((-a).data, [-1, -2, -3, -4])
    }

    /// A [C] vector adds per channel over NCHW, like [1, C, 1, 1].
    func testChannelBroadcast() throws {
        let x = try Tensor(shape: [1, 2, 1, 2], data: [1, 2, 3, 4])
        let perChannel = try Tensor(shape: [2], data: [100, 200])
        assertClose(try (x + perChannel).data, [101, 102, 203, 204])
        let nchw = try Tensor(shape: [1, 2, 1, 1], data: [100, 200])
        assertClose(try (x * nchw).data, [100, 200, 600, 800])
        // NumPy rule elsewhere: [N, K] + [K].
        let rows = try Tensor(shape: [2, 3], data: [0, 0, 0, 1, 1, 1])
        let bias = try Tensor(shape: [3], data: [1, 2, 3])
        assertClose(try (rows + bias).data, [1, 2, 3, 2, 3, 4])
    }

    func testIncompatibleShapesThrow() throws {
        let a = try Tensor(zeros: [2, 3]), b = try Tensor(zeros: [4])
        XCTAssertThrowsError(try a + b) { XCTAssertTrue("\($0)".contains("[2, 3]"), "\($0)") }
    }

    func testGradientsWithBroadcasting() throws {
        let x = try GradientCheck.random([2, 3, 2, 2], seed: 30)
        let channel = try GradientCheck.random([3], seed: 31)
        let full = try GradientCheck.random([2, 3, 2, 2], seed: 32)
        let positive = try Tensor(shape: [1, 3, 1, 1], data: [1.5, 2, 3])
        try GradientCheck.assertMatches([x, channel]) { try $0[0] + $0[1] }
        try GradientCheck.assertMatches([x, channel]) { try $0[0] - $0[1] }
        try GradientCheck.assertMatches([x, channel]) { try $0[0] * $0[1] }
        try GradientCheck.assertMatches([x, positive]) { try $0[0] / $0[1] }
        try GradientCheck.assertMatches([x, full]) { try $0[0] * $0[1] }
        try GradientCheck.assertMatches([x, full]) { try $0[0] + $0[1] }
        try GradientCheck.assertMatches([x]) { try ($0[0] + $0[0]) * $0[0] }
        try GradientCheck.assertMatches([channel, x]) { try $0[0] - $0[1] }
        try GradientCheck.assertMatches([x]) { $0[0] * 3 - 2 }
        try GradientCheck.assertMatches([x]) { 2 - $0[0] / 4 }
    }
}
