import XCTest
@testable import Engine

/// `BLAS.gemm` splits large products across the cores itself (OpenBLAS single-threaded): every
/// transpose combination, split along rows or columns, with leading dimensions wider than the
/// matrices and a non-zero beta, must equal a plain triple loop in Double.
final class BLASSplitTests: XCTestCase {
    private func check(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, beta: Float,
                       file: StaticString = #filePath, line: UInt = #line) {
        var generator = SeededRandom(seed: UInt64(m * 31 + n * 7 + k))
        // Stored shapes (row-major), each with 3 columns of padding to exercise the leading dimensions.
        let (aRows, aColumns) = transposeA ? (k, m) : (m, k)
        let (bRows, bColumns) = transposeB ? (n, k) : (k, n)
        let lda = aColumns + 3, ldb = bColumns + 3, ldc = n + 3
        let a = (0..<(aRows * lda)).map { _ in Float.random(in: -1...1, using: &generator) }
        let b = (0..<(bRows * ldb)).map { _ in Float.random(in: -1...1, using: &generator) }
        let c0 = (0..<(m * ldc)).map { _ in Float.random(in: -1...1, using: &generator) }
        var c = c0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5,
                              a: a.baseAddress, lda: lda, b: b.baseAddress, ldb: ldb, beta: beta, c: c.baseAddress, ldc: ldc)
                }
            }
        }
        var worst: Double = 0
        for row in 0..<m {
            for column in 0..<n {
                var sum: Double = 0
                for p in 0..<k {
                    let x = transposeA ? a[p * lda + row] : a[row * lda + p]
                    let y = transposeB ? b[column * ldb + p] : b[p * ldb + column]
                    sum += Double(x) * Double(y)
                }
                let expected = 0.5 * sum + Double(beta) * Double(c0[row * ldc + column])
                worst = max(worst, abs(expected - Double(c[row * ldc + column])))
            }
            // The padding columns of C are never written.
            for column in n..<ldc { XCTAssertEqual(c[row * ldc + column], c0[row * ldc + column], file: file, line: line) }
        }
        XCTAssertLessThan(worst, 1e-4 * Double(k).squareRoot(), "m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB)",
                          file: file, line: line)
    }

    func testWideProductSplitsAlongColumns() {
        // m·n·k = 3.5M multiply-adds, far above the split threshold; n (301) not a multiple of 16.
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                check(transposeA: transposeA, transposeB: transposeB, m: 40, n: 301, k: 290, beta: 0)
            }
        }
    }

    func testTallProductSplitsAlongRows() {
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                check(transposeA: transposeA, transposeB: transposeB, m: 333, n: 17, k: 250, beta: 1)
            }
        }
    }

    func testSmallProductRunsWhole() {
        check(transposeA: false, transposeB: true, m: 5, n: 7, k: 9, beta: 0.25)
        check(transposeA: true, transposeB: false, m: 1, n: 1000, k: 1024, beta: 0)
    }
}
