import COpenBLAS

/// Thin, typed wrapper over OpenBLAS's single-precision GEMM (row-major).
///
/// Every matrix product in the engine (convolution via im2col, linear layers, Gram
/// matrices) ends here, so OpenBLAS's own threads use both cores for the big ones.
enum BLAS {
    /// C = alpha · op(A) · op(B) + beta · C, with op(A) of size m×k and op(B) of size k×n.
    /// Leading dimensions are those of the matrices as stored (row-major).
    static func gemm(transposeA: Bool = false, transposeB: Bool = false,
                     m: Int, n: Int, k: Int, alpha: Float = 1,
                     a: UnsafePointer<Float>?, lda: Int,
                     b: UnsafePointer<Float>?, ldb: Int,
                     beta: Float = 0,
                     c: UnsafeMutablePointer<Float>?, ldc: Int) {
        // Buffers of empty arrays may have no address; an empty product has nothing to do.
        guard m > 0, n > 0, let c else { return }
        guard k > 0, let a, let b else {
            // OpenBLAS skips beta scaling when k == 0 on some versions; do it by hand.
            for row in 0..<m { for column in 0..<n { c[row * ldc + column] *= beta } }
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c, Int32(max(ldc, 1)))
    }
}
