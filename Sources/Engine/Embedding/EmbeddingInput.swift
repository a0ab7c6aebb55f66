/// Checks shared by every method: the buffer matches its shape and holds only finite numbers.
enum EmbeddingInput {
    static func validate(_ values: [Float], rows: Int, columns: Int, method: String) throws {
        guard rows >= 0, columns > 0, values.count == rows * columns else {
            throw EmbeddingError.shapeMismatch(method: method, count: values.count, rows: rows, columns: columns)
        }
        for (index, value) in values.enumerated() where !value.isFinite {
            throw EmbeddingError.nonFiniteValue(method: method, row: index / columns, column: index % columns)
        }
    }
}
