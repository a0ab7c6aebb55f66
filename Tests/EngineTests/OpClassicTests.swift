import XCTest
@testable import Engine

/// The classic ONNX ops: transposed convolution, LRN, global max pooling, average pooling
/// without padding in the divisor, PReLU, matrix products of any rank. Forward values against
/// direct loops written from the definitions; gradients against central finite differences.
final class OpClassicTests: XCTestCase {
    /// ConvTranspose by its definition: every input pixel scatters weight · value into the
    /// output at stride · position + dilation · tap − pad_begin.
    private func naiveTransposed(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, stride: Int, pads: (Int, Int, Int, Int),
                                 outputPadding: (Int, Int), dilation: Int, groups: Int) -> (shape: [Int], data: [Float]) {
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (coutPerGroup, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
        let cout = coutPerGroup * groups, cinPerGroup = cin / groups
        let ho = stride * (h - 1) + outputPadding.0 + (kh - 1) * dilation + 1 - pads.0 - pads.2
        let wo = stride * (wd - 1) + outputPadding.1 + (kw - 1) * dilation + 1 - pads.1 - pads.3
        var out = [Float](repeating: 0, count: n * cout * ho * wo)
        for b in 0..<n {
            for c in 0..<cin {
                let group = c / cinPerGroup
                for o in 0..<coutPerGroup {
                    let oc = group * coutPerGroup + o
                    for y in 0..<h { for xx in 0..<wd { for ky in 0..<kh { for kx in 0..<kw {
                        let oy = y * stride + ky * dilation - pads.0, ox = xx * stride + kx * dilation - pads.1
                        guard oy >= 0, oy < ho, ox >= 0, ox < wo else { continue }
                        out[((b * cout + oc) * ho + oy) * wo + ox] += x.data[((b * cin + c) * h + y) * wd + xx]
                            * w.data[((c * coutPerGroup + o) * kh + ky) * kw + kx]
                    } } } }
                }
            }
            if let bias { for oc in 0..<cout { for p in 0..<(ho * wo) { out[(b * cout + oc) * ho * wo + p] += bias.data[oc] } } }
        }
        return ([n, cout, ho, wo], out)
    }

    func testConvTransposeMatchesDefinition() throws {
        let cases: [(stride: Int, pads: (Int, Int, Int, Int), op: (Int, Int), dilation: Int, groups: Int, k: Int)] = [
            (2, (1, 1, 1, 1), (0, 0), 1, 1, 4), (2, (0, 1, 2, 0), (1, 1), 1, 1, 3), (1, (0, 0, 0, 0), (0, 0), 2, 2, 3),
            (3, (1, 0, 0, 1), (2, 1), 1, 2, 2), (1, (0, 0, 0, 0), (0, 0), 1, 1, 1),
        ]
        for (index, c) in cases.enumerated() {
            let x = try GradientCheck.random([2, 4, 3, 4], seed: UInt64(10 + index))
            let w = try GradientCheck.random([4, 3, c.k, c.k], seed: UInt64(20 + index))
            let bias = try GradientCheck.random([3 * c.groups], seed: UInt64(30 + index))
            let y = try x.convTranspose2d(weight: w, bias: bias, stride: c.stride, pads: c.pads, outputPadding: c.op,
                                          dilation: c.dilation, groups: c.groups)
            let expected = naiveTransposed(x, w, bias, stride: c.stride, pads: c.pads, outputPadding: c.op, dilation: c.dilation, groups: c.groups)
            XCTAssertEqual(y.shape, expected.shape, "case \(index)")
            for (a, b) in zip(y.data, expected.data) { XCTAssertEqual(a, b, accuracy: 1e-4, "case \(index)") }
        }
        // Stride 2, kernel 4, pads 1: the DCGAN/decoder upsampling doubles the size.
        XCTAssertEqual(try Tensor(zeros: [1, 4, 5, 5]).convTranspose2d(weight: Tensor(zeros: [4, 3, 4, 4]), bias: nil, stride: 2,
                                                                      pads: (1, 1, 1, 1)).shape, [1, 3, 10, 10])
    }

    func testConvTransposeGradients() throws {
        let x = try GradientCheck.random([1, 4, 3, 3], seed: 1)
        let w = try GradientCheck.random([4, 2, 3, 3], seed: 2)
        let bias = try GradientCheck.random([4], seed: 3)
        try GradientCheck.assertMatches([x, w, bias]) { t in
            try t[0].convTranspose2d(weight: t[1], bias: t[2], stride: 2, pads: (1, 0, 0, 1), outputPadding: (1, 0), groups: 2)
        }
    }

    func testConvTransposeRefusesBadGeometry() throws {
        let x = try Tensor(zeros: [1, 4, 3, 3])
        XCTAssertThrowsError(try x.convTranspose2d(weight: Tensor(zeros: [3, 2, 3, 3]), bias: nil)) // channels differ
        XCTAssertThrowsError(try x.convTranspose2d(weight: Tensor(zeros: [4, 2, 3, 3]), bias: nil, stride: 2, outputPadding: (2, 0)))
        XCTAssertThrowsError(try x.convTranspose2d(weight: Tensor(zeros: [4, 2, 1, 1]), bias: nil, pads: (2, 0, 2, 0)))
        XCTAssertThrowsError(try x.convTranspose2d(weight: Tensor(zeros: [4, 2, 3, 3]), bias: Tensor(zeros: [3])))
    }

    func testLRNMatchesDefinition() throws {
        let x = try GradientCheck.random([2, 7, 2, 3], seed: 4, scale: 3)
        for size in [1, 2, 5] {
            let (alpha, beta, bias): (Float, Float, Float) = (0.3, 0.75, 2)
            let y = try x.localResponseNormalization(size: size, alpha: alpha, beta: beta, bias: bias)
            let plane = 6
            for n in 0..<2 { for c in 0..<7 { for p in 0..<plane {
                var total: Double = 0
                for k in max(0, c - (size - 1) / 2)...min(6, c + size - 1 - (size - 1) / 2) {
                    let v = Double(x.data[(n * 7 + k) * plane + p]); total += v * v
                }
                let index = (n * 7 + c) * plane + p
                let expected = Double(x.data[index]) / Foundation.pow(Double(bias) + Double(alpha) / Double(size) * total, Double(beta))
                XCTAssertEqual(Double(y.data[index]), expected, accuracy: 1e-5 * max(1, abs(expected)), "size \(size)")
            } } }
        }
    }

    func testLRNGradients() throws {
        let x = try GradientCheck.random([1, 6, 2, 2], seed: 5, scale: 2)
        for size in [2, 5] {
            try GradientCheck.assertMatches([x], epsilon: 1e-2) { t in
                try t[0].localResponseNormalization(size: size, alpha: 0.5, beta: 0.75, bias: 1)
            }
        }
        XCTAssertThrowsError(try x.localResponseNormalization(size: 0, alpha: 1, beta: 1, bias: 1))
        XCTAssertThrowsError(try x.localResponseNormalization(size: 3, alpha: 1, beta: 1, bias: 0))
    }

    func testGlobalMaxPool() throws {
        let x = try Tensor(shape: [1, 2, 2, 2], data: [1, 5, 3, 5, -4, -2, -9, -3])
        x.requiresGrad = true
        let y = try x.globalMaxPool()
        XCTAssertEqual(y.shape, [1, 2, 1, 1])
        XCTAssertEqual(y.data, [5, -2])
        try y.backward(seed: [2, 3])
        // Ties go to the first maximum.
        XCTAssertEqual(x.grad, [0, 2, 0, 0, 0, 3, 0, 0])
        try GradientCheck.assertMatches([try GradientCheck.spread([2, 3, 3, 2], seed: 6)]) { t in try t[0].globalMaxPool() }
    }

    func testAveragePoolExcludingPadding() throws {
        // 3x3 windows, stride 2, padding 1 on a 4x4 ramp: the corner window holds 4 input values.
        let x = try Tensor(shape: [1, 1, 4, 4], data: (0..<16).map(Float.init))
        let y = try x.avgPool2d(kernel: 3, stride: 2, padding: 1, countIncludePad: false)
        XCTAssertEqual(y.shape, [1, 1, 2, 2])
        XCTAssertEqual(y.data[0], (0 + 1 + 4 + 5) / 4, accuracy: 1e-6)
        XCTAssertEqual(y.data[1], (1 + 2 + 3 + 5 + 6 + 7) / 6, accuracy: 1e-6)
        XCTAssertEqual(y.data[3], (5 + 6 + 7 + 9 + 10 + 11 + 13 + 14 + 15) / 9, accuracy: 1e-6)
        let included = try x.avgPool2d(kernel: 3, stride: 2, padding: 1)
        XCTAssertEqual(included.data[0], (0 + 1 + 4 + 5) / 9, accuracy: 1e-6)
        try GradientCheck.assertMatches([try GradientCheck.random([1, 2, 5, 5], seed: 7)]) { t in
            try t[0].avgPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)
        }
    }

    func testPReLU() throws {
        let x = try Tensor(shape: [1, 2, 1, 2], data: [-2, 3, -4, 0.5])
        let slope = try Tensor(shape: [2, 1, 1], data: [0.1, 0.5])
        let y = try x.prelu(slope: slope)
        XCTAssertEqual(y.data, [-0.2, 3, -2, 0.5])
        XCTAssertThrowsError(try x.prelu(slope: Tensor(zeros: [3, 1, 1])))
        try GradientCheck.assertMatches([try GradientCheck.spread([1, 2, 2, 2], seed: 8), try Tensor(shape: [2, 1, 1], data: [0.2, -0.3])]) { t in
            try t[0].prelu(slope: t[1])
        }
    }

    func testMatMulOfAnyRank() throws {
        let x = try GradientCheck.random([2, 3, 4], seed: 9)
        let w = try GradientCheck.random([4, 5], seed: 10)
        let y = try LayerNode.matMul(x, w, constantFirst: false)
        XCTAssertEqual(y.shape, [2, 3, 5])
        for b in 0..<2 { for i in 0..<3 { for j in 0..<5 {
            var total: Float = 0
            for k in 0..<4 { total += x.data[(b * 3 + i) * 4 + k] * w.data[k * 5 + j] }
            XCTAssertEqual(y.data[(b * 3 + i) * 5 + j], total, accuracy: 1e-5)
        } } }
        let left = try GradientCheck.random([6, 3], seed: 11)
        let z = try LayerNode.matMul(x, left, constantFirst: true)
        XCTAssertEqual(z.shape, [2, 6, 4])
        for b in 0..<2 { for i in 0..<6 { for j in 0..<4 {
            var total: Float = 0
            for k in 0..<3 { total += left.data[i * 3 + k] * x.data[(b * 3 + k) * 4 + j] }
            XCTAssertEqual(z.data[(b * 6 + i) * 4 + j], total, accuracy: 1e-5)
        } } }
        try GradientCheck.assertMatches([x]) { t in try LayerNode.matMul(t[0], left, constantFirst: true) }
        try GradientCheck.assertMatches([x]) { t in try LayerNode.matMul(t[0], w, constantFirst: false) }
    }
}
