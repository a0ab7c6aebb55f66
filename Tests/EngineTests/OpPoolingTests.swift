import XCTest
@testable import Engine

final class OpPoolingTests: XCTestCase {
    func testMaxPoolForward() throws {
        let input = try Tensor(shape: [1, 1, 4, 4], data: [1, 5, 2, 0,
                                                           3, 4, 8, 7,
                                                           9, 1, 0, 2,
                                                           6, 2, 3, 1])
        let output = try input.maxPool2d(kernel: 2, stride: 2)
        assertClose(output.data, [5, 8, 9, 3])
    }

    /// 6 wide, kernel 3, stride 2: floor mode gives 2 outputs, ceil mode 3 (the last window
    /// starts at 4, inside the input, and covers columns 4-5 only).
    func testMaxPoolCeilMode() throws {
        let input = try Tensor(shape: [1, 1, 1, 6], data: [1, 2, 3, 4, 5, 6])
        let floor = try input.maxPool2d(kernel: 1, stride: 1)
        XCTAssertEqual(floor.shape, [1, 1, 1, 6])
        let row = try Tensor(shape: [1, 1, 3, 6], data: (0..<18).map(Float.init))
        XCTAssertEqual(try row.maxPool2d(kernel: 3, stride: 2).shape, [1, 1, 1, 2])
        let ceil = try row.maxPool2d(kernel: 3, stride: 2, ceilMode: true)
        XCTAssertEqual(ceil.shape, [1, 1, 1, 3])
        assertClose(ceil.data, [14, 16, 17])
        // SqueezeNet: 113 -> 56 and 55 -> 27 either way; 56 -> 28 only with ceil mode (27 without).
        XCTAssertEqual(try Tensor(zeros: [1, 1, 56, 56]).maxPool2d(kernel: 3, stride: 2, ceilMode: true).shape, [1, 1, 28, 28])
        XCTAssertEqual(try Tensor(zeros: [1, 1, 56, 56]).maxPool2d(kernel: 3, stride: 2).shape, [1, 1, 27, 27])
    }

    /// Average pooling with padding 1 counts the padding in the divisor (PyTorch's default).
    func testAvgPoolPaddingDivisor() throws {
        let input = try Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])
        let output = try input.avgPool2d(kernel: 2, stride: 2, padding: 1)
        XCTAssertEqual(output.shape, [1, 1, 2, 2])
        assertClose(output.data, [0.25, 0.5, 0.75, 1])
        // Ceil mode: 3 wide, kernel 2, stride 2 -> 2 outputs; the last window hangs past the
        // input by one and PyTorch divides by 1 there.
        let row = try Tensor(shape: [1, 1, 1, 3], data: [2, 4, 9])
        let ceil = try row.avgPool2d(kernel: 1, stride: 2, ceilMode: true)
        assertClose(ceil.data, [2, 9])
        let wide = try Tensor(shape: [1, 1, 2, 3], data: [2, 4, 9, 2, 4, 9])
        assertClose(try wide.avgPool2d(kernel: 2, stride: 2, ceilMode: true).data, [3, 9])
    }

    func testGlobalAvgPool() throws {
        let input = try Tensor(shape: [1, 2, 2, 2], data: [1, 2, 3, 4, 10, 10, 10, 30])
        let output = try input.globalAvgPool()
        XCTAssertEqual(output.shape, [1, 2, 1, 1])
        assertClose(output.data, [2.5, 15])
    }

    /// Among equal maxima the gradient goes to the first in row-major order, like PyTorch
    /// (it matters for the zeros after a ReLU under the deconvnet rule).
    func testMaxPoolTiesGoToFirstMaximum() throws {
        let input = try Tensor(shape: [1, 1, 2, 4], data: [0, 5, 0, 0,
                                                           5, 0, 0, 0], requiresGrad: true)
        try input.maxPool2d(kernel: 2, stride: 2).backward(seed: [1, 2])
        XCTAssertEqual(input.grad, [0, 1, 2, 0,
                                    0, 0, 0, 0])
    }

    /// Wide rows take the SIMD path of the forward's row maximum.
    func testMaxPoolWideRowsMatchBruteForce() throws {
        let input = try GradientCheck.random([1, 2, 9, 37], seed: 8)
        let output = try input.maxPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true)
        XCTAssertEqual(output.shape, [1, 2, 5, 19])
        for plane in 0..<2 {
            for oy in 0..<5 {
                for ox in 0..<19 {
                    var best = -Float.infinity
                    for y in max(oy * 2 - 1, 0)..<min(oy * 2 + 2, 9) {
                        for x in max(ox * 2 - 1, 0)..<min(ox * 2 + 2, 37) { best = max(best, input.data[(plane * 9 + y) * 37 + x]) }
                    }
                    XCTAssertEqual(output.data[(plane * 5 + oy) * 19 + ox], best)
                }
            }
        }
    }

    func testMaxPoolGradients() throws {
        let input = try GradientCheck.spread([2, 2, 7, 7], seed: 3)
        try GradientCheck.assertMatches([input]) { try $0[0].maxPool2d(kernel: 3, stride: 2, ceilMode: true) }
        try GradientCheck.assertMatches([input]) { try $0[0].maxPool2d(kernel: 3, stride: 2, padding: 1) }
        try GradientCheck.assertMatches([input]) { try $0[0].maxPool2d(kernel: 2, stride: 2) }
    }

    func testAvgPoolGradients() throws {
        let input = try GradientCheck.random([2, 2, 7, 6], seed: 4)
        try GradientCheck.assertMatches([input]) { try $0[0].avgPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true) }
        try GradientCheck.assertMatches([input]) { try $0[0].avgPool2d(kernel: 2, stride: 2) }
        try GradientCheck.assertMatches([input]) { try $0[0].globalAvgPool() }
    }

    func testBadPoolingArgumentsThrow() throws {
        let input = try Tensor(zeros: [1, 1, 4, 4])
        XCTAssertThrowsError(try input.maxPool2d(kernel: 3, stride: 0))
        XCTAssertThrowsError(try input.maxPool2d(kernel: 3, stride: 1, padding: 2))
        XCTAssertThrowsError(try input.maxPool2d(kernel: 9, stride: 1))
        XCTAssertThrowsError(try Tensor(zeros: [4, 4]).maxPool2d(kernel: 2, stride: 2))
    }
}
