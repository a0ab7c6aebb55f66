import XCTest
@testable import Engine

/// Convolutions large enough that `BLAS.gemm` splits them across the cores and applies bias and
/// activation per block (the GEMM epilogue): against a direct 7-loop convolution in Double, and
/// the fused activation's input gradient against the unfused chain's.
final class OpConvolutionSplitTests: XCTestCase {
    /// Direct cross-correlation, zero padding `pad`, stride `stride`, groups `groups`.
    private func direct(_ x: Tensor, _ w: Tensor, _ b: Tensor, pad: Int, stride: Int, groups: Int) -> [Float] {
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, cpg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let oh = (h + 2 * pad - kh) / stride + 1, ow = (wd + 2 * pad - kw) / stride + 1
        let outPerGroup = cout / groups
        var out = [Float](repeating: 0, count: n * cout * oh * ow)
        for image in 0..<n { for o in 0..<cout { for oy in 0..<oh { for ox in 0..<ow {
            var sum = Double(b.data[o])
            let group = o / outPerGroup
            for c in 0..<cpg { for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy * stride - pad + ky, ix = ox * stride - pad + kx
                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                let ci = group * cpg + c
                sum += Double(x.data[((image * cin + ci) * h + iy) * wd + ix]) * Double(w.data[((o * cpg + c) * kh + ky) * kw + kx])
            } } }
            out[((image * cout + o) * oh + oy) * ow + ox] = Float(sum)
        } } } }
        _ = cin
        return out
    }

    func testSplitConvolutionWithBiasAndActivationMatchesDirectLoops() throws {
        // 3x3 over 40x40 with 16 -> 32 channels: 7.4M multiply-adds, split by columns; a 1x1 with
        // 64 -> 48 channels on 9x9 (k 64, n 81): split by rows; grouped and strided cases too.
        let cases: [(input: [Int], weight: [Int], pad: Int, stride: Int, groups: Int)] = [
            ([1, 16, 40, 40], [32, 16, 3, 3], 1, 1, 1),
            ([1, 64, 9, 9], [480, 64, 1, 1], 0, 1, 1),
            ([2, 8, 33, 31], [24, 4, 3, 3], 1, 2, 2),
        ]
        for (index, c) in cases.enumerated() {
            let x = try GradientCheck.random(c.input, seed: UInt64(200 + index), scale: 2)
            let w = try GradientCheck.random(c.weight, seed: UInt64(210 + index))
            let b = try GradientCheck.random([c.weight[0]], seed: UInt64(220 + index))
            let expected = direct(x, w, b, pad: c.pad, stride: c.stride, groups: c.groups)
            for activation in FusedActivation.allCases {
                let y = try x.conv2d(weight: w, bias: b, stride: c.stride, padding: .symmetric(c.pad), groups: c.groups,
                                     activation: activation)
                let clipped = expected.map { activation == .none ? $0 : min(max($0, 0), activation == .relu6 ? 6 : .infinity) }
                XCTAssertEqual(y.count, clipped.count)
                var worst: Float = 0
                for (a, e) in zip(y.data, clipped) { worst = max(worst, abs(a - e) / max(1, abs(e))) }
                XCTAssertLessThan(worst, 1e-4, "case \(index) \(activation)")
                if activation == .relu6 { XCTAssertTrue(y.data.contains(6) && y.data.contains(0), "both clips reached") }
            }
        }
    }

    /// The split fused path's input gradient equals conv().relu6()'s (unfused chain).
    func testSplitFusedGradientEqualsUnfusedChain() throws {
        let x = try GradientCheck.random([1, 16, 40, 40], seed: 230, scale: 3)
        let w = try GradientCheck.random([32, 16, 3, 3], seed: 231)
        let b = try GradientCheck.random([32], seed: 232)
        let twin = try Tensor(shape: x.shape, data: x.data, requiresGrad: true)
        x.requiresGrad = true
        let fused = try x.conv2d(weight: w, bias: b, padding: .symmetric(1), activation: .relu6)
        let chain = try twin.conv2d(weight: w, bias: b, padding: .symmetric(1)).relu6()
        var generator = SeededRandom(seed: 233)
        let seed = (0..<fused.count).map { _ in generator.uniform(-1, 1) }
        try fused.backward(seed: seed)
        try chain.backward(seed: seed)
        assertClose(fused.data, chain.data)
        assertClose(x.grad ?? [], twin.grad ?? [], tolerance: 1e-5)
    }
}
