import COpenBLAS

/// Principal component analysis of the rows of an n x d matrix, via LAPACK's symmetric eigensolver.
///
/// Why an eigensolver on a small square matrix: when d <= n the d x d covariance is cheap; when the
/// codes are wider than the set of images (fc7 has 4096 dimensions) the n x n Gram matrix of the
/// centred rows has the same nonzero spectrum and is much smaller. Both paths give the same answer.
public enum PCA {
    /// The fitted axes and the data projected on them.
    public struct Result: Equatable, Sendable {
        /// dims x d row-major; row k is the k-th principal axis (unit length), largest |entry| positive.
        public var components: [Float]
        /// Variance along each axis (eigenvalue of the covariance with the n - 1 denominator).
        public var explainedVariance: [Float]
        /// Share of the total variance along each axis.
        public var explainedVarianceRatio: [Float]
        /// Column means that were subtracted before projecting.
        public var mean: [Float]
        /// n x dims row-major: each row's coordinates on the axes.
        public var projected: [Float]
        public var dims: Int
    }

    /// Components to keep: at least one (and at most min(rows, columns), which depends on the data).
    public static let dimsRange = NumberRange.atLeast(1)

    /// Fits `dims` principal axes to `values` (rows x columns, row-major) and projects the rows on them.
    public static func fit(_ values: [Float], rows: Int, columns: Int, dims: Int = 2) throws -> Result {
        try EmbeddingInput.validate(values, rows: rows, columns: columns, method: "pca")
        guard rows >= 2 else { throw EmbeddingError.tooFewPoints(method: "pca", needed: 2, got: rows) }
        guard dimsRange.contains(dims), dims <= min(rows, columns) else {
            throw EmbeddingError.invalidParameter(method: "pca", name: "dims", value: String(dims),
                                                  expected: "1...\(min(rows, columns))")
        }
        var mean = [Double](repeating: 0, count: columns)
        for row in 0..<rows {
            if row % 1024 == 0 { try Cancellation.check() }
            for column in 0..<columns { mean[column] += Double(values[row * columns + column]) }
        }
        for column in 0..<columns { mean[column] /= Double(rows) }
        var centred = [Double](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns {
                centred[row * columns + column] = Double(values[row * columns + column]) - mean[column]
            }
        }
        let useCovariance = columns <= rows
        let size = useCovariance ? columns : rows
        // Upper triangle of Xc^T Xc (d x d) or Xc Xc^T (n x n).
        var gram = [Double](repeating: 0, count: size * size)
        if useCovariance {
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows), 1.0,
                        centred, Int32(columns), 0.0, &gram, Int32(size))
        } else {
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(rows), Int32(columns), 1.0,
                        centred, Int32(columns), 0.0, &gram, Int32(size))
        }
        var eigenvalues = [Double](repeating: 0, count: size)
        let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")),
                                  Int32(size), &gram, Int32(size), &eigenvalues)
        guard info == 0 else { throw EmbeddingError.lapackFailure(routine: "LAPACKE_dsyevd", info: Int(info)) }
        // NOTE: rounding can make the smallest eigenvalues slightly negative; they carry no variance.
        let total = eigenvalues.reduce(0) { $0 + max($1, 0) }
        var components = [Float](repeating: 0, count: dims * columns)
        var projected = [Float](repeating: 0, count: rows * dims)
        var variance = [Float](repeating: 0, count: dims)
        var ratio = [Float](repeating: 0, count: dims)
        for k in 0..<dims {
            try Cancellation.check()
            let eigenIndex = size - 1 - k   // eigenvalues come in ascending order
            let lambda = max(eigenvalues[eigenIndex], 0)
            var axis = [Double](repeating: 0, count: columns)
            if useCovariance {
                for j in 0..<columns { axis[j] = gram[j * size + eigenIndex] }
            } else if lambda > 0 {
                // v = Xc^T u / sqrt(lambda) is the unit axis in feature space.
                let scale = 1.0 / lambda.squareRoot()
                for i in 0..<rows {
                    let u = gram[i * size + eigenIndex] * scale
                    if u == 0 { continue }
                    for j in 0..<columns { axis[j] += centred[i * columns + j] * u }
                }
            }
            // Deterministic sign: the entry of largest magnitude is positive.
            var largest = 0
            for j in 1..<max(columns, 1) where abs(axis[j]) > abs(axis[largest]) { largest = j }
            if axis[largest] < 0 { for j in 0..<columns { axis[j] = -axis[j] } }
            for j in 0..<columns { components[k * columns + j] = Float(axis[j]) }
            for i in 0..<rows {
                var dot = 0.0
                for j in 0..<columns { dot += centred[i * columns + j] * axis[j] }
                projected[i * dims + k] = Float(dot)
            }
            variance[k] = Float(lambda / Double(rows - 1))
            ratio[k] = total > 0 ? Float(lambda / total) : 0
        }
        return Result(components: components, explainedVariance: variance, explainedVarianceRatio: ratio,
                      mean: mean.map(Float.init), projected: projected, dims: dims)
    }
}
