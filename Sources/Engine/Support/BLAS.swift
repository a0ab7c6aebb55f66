import COpenBLAS

/// Thin, typed wrapper over OpenBLAS's single-precision GEMM (row-major).
///
/// Every matrix product in the engine (convolution via im2col, linear layers, Gram
/// matrices) ends here. OpenBLAS runs single-threaded and the engine splits a large product
/// across the cores itself (`Parallel`): OpenBLAS's own worker threads spin in `sched_yield`
/// between calls, and a network makes dozens of small GEMMs interleaved with the engine's own
/// parallel loops (im2col, bias, pooling), so those spinning threads took about a quarter of a
/// forward pass on 2 cores (perf, `convlens bench engine`).
enum BLAS {
    /// Products below this many multiply-adds run on the calling thread: waking a second core
    /// costs a few microseconds, about what 100k multiply-adds take on one.
    static let minimumSplitWork = 1 << 17

    /// OpenBLAS told once, before the first product, to use one thread per call.
    private static let singleThreaded: Void = { openblas_set_num_threads(1) }()

    /// C = alpha · op(A) · op(B) + beta · C, with op(A) of size m×k and op(B) of size k×n.
    /// Leading dimensions are those of the matrices as stored (row-major).
    ///
    /// A large product is split into one block of C per core: along n (columns of op(B) and C)
    /// when n is the larger side, else along m (rows of op(A) and C). The blocks are disjoint
    /// and each is an ordinary sgemm, so the result equals the single call's up to the kernel's
    /// blocking of k, which the split leaves unchanged.
    ///
    /// `epilogue`, when given, is called once per finished block of C with its rows and columns
    /// (ranges within m and n), on the thread that computed it while the block is still in
    /// cache: a convolution adds its bias and applies its activation there. It must write only
    /// inside its block.
    static func gemm(transposeA: Bool = false, transposeB: Bool = false,
                     m: Int, n: Int, k: Int, alpha: Float = 1,
                     a: UnsafePointer<Float>?, lda: Int,
                     b: UnsafePointer<Float>?, ldb: Int,
                     beta: Float = 0,
                     c: UnsafeMutablePointer<Float>?, ldc: Int,
                     epilogue: ((_ rows: Range<Int>, _ columns: Range<Int>) -> Void)? = nil) {
        // Buffers of empty arrays may have no address; an empty product has nothing to do.
        guard m > 0, n > 0, let c else { return }
        guard k > 0, let a, let b else {
            // OpenBLAS skips beta scaling when k == 0 on some versions; do it by hand.
            for row in 0..<m { for column in 0..<n { c[row * ldc + column] *= beta } }
            epilogue?(0..<m, 0..<n)
            return
        }
        _ = singleThreaded
        let work = m.multipliedReportingOverflow(by: n).partialValue.multipliedReportingOverflow(by: k)
        let parts = Parallel.threadCount
        guard parts > 1, work.overflow || work.partialValue >= minimumSplitWork * parts, max(m, n) >= 2 * parts else {
            sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            epilogue?(0..<m, 0..<n)
            return
        }
        // Column blocks are kept multiples of 16 floats (one AVX-512 register, two AVX ones) so
        // each block's kernel runs full vectors; rows need no alignment.
        let splitColumns = n >= m
        let length = splitColumns ? n : m
        let quantum = splitColumns && length >= 16 * parts ? 16 : 1
        let units = (length + quantum - 1) / quantum
        Parallel.forEach(parts) { part in
            let start = min(length, units * part / parts * quantum)
            let end = min(length, units * (part + 1) / parts * quantum)
            guard end > start else { return }
            if splitColumns {
                // op(B)'s columns start..<end: B's columns, or with transposeB B's rows.
                let bBlock = transposeB ? b + start * ldb : b + start
                sgemm(transposeA, transposeB, m, end - start, k, alpha, a, lda, bBlock, ldb, beta, c + start, ldc)
                epilogue?(0..<m, start..<end)
            } else {
                // op(A)'s rows start..<end: A's rows, or with transposeA A's columns.
                let aBlock = transposeA ? a + start : a + start * lda
                sgemm(transposeA, transposeB, end - start, n, k, alpha, aBlock, lda, b, ldb, beta, c + start * ldc, ldc)
                epilogue?(start..<end, 0..<n)
            }
        }
    }

    private static func sgemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                              _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                              _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c, Int32(max(ldc, 1)))
    }
}
