/// The one check every matrix of points passes before a method uses it (t-SNE, PCA, DBSCAN,
/// embedding grids, and the language's matrix arguments, whether features, tensors or lists of
/// rows): the buffer matches its shape and every value is finite and small enough to square.
public enum EmbeddingInput {
    /// The largest magnitude a coordinate may have: squared distances between such points still fit
    /// in a 32-bit float (3.4e38), so neighbour searches and grids never meet infinity or NaN.
    public static let maximumMagnitude: Float = 1e18

    /// Throws `EmbeddingError.shapeMismatch` unless `values` holds rows x columns numbers, and
    /// `EmbeddingError.nonFiniteValue` / `.valueTooLarge` naming the first bad row and column
    /// (a language number such as 1e308 that became infinity in Float is reported as not finite).
    public static func validate(_ values: [Float], rows: Int, columns: Int, method: String) throws {
        guard rows >= 0, columns > 0, values.count == rows * columns else {
            throw EmbeddingError.shapeMismatch(method: method, count: values.count, rows: rows, columns: columns)
        }
        for (index, value) in values.enumerated() where !(abs(value) <= maximumMagnitude) {
            if value.isFinite {
                throw EmbeddingError.valueTooLarge(method: method, row: index / columns, column: index % columns,
                                                   limit: maximumMagnitude)
            }
            throw EmbeddingError.nonFiniteValue(method: method, row: index / columns, column: index % columns)
        }
    }
}
