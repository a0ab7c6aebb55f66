/// What can go wrong in the embedding methods, with enough detail to say what and where.
public enum EmbeddingError: Error, Equatable, CustomStringConvertible {
    /// The flat buffer does not hold rows x columns values.
    case shapeMismatch(method: String, count: Int, rows: Int, columns: Int)
    /// Too few points for the method (t-SNE needs more points than the perplexity allows).
    case tooFewPoints(method: String, needed: Int, got: Int)
    /// A parameter outside its valid range.
    case invalidParameter(method: String, name: String, value: String, expected: String)
    /// The data contain NaN or infinity at the given row and column.
    case nonFiniteValue(method: String, row: Int, column: Int)
    /// LAPACK reported a failure (info code).
    case lapackFailure(routine: String, info: Int)
    /// A .npy file that cannot be read.
    case unreadableNpy(path: String, reason: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(method, count, rows, columns):
            return "\(method): expected \(rows) x \(columns) = \(rows * columns) values, got \(count)"
        case let .tooFewPoints(method, needed, got):
            return "\(method): needs at least \(needed) points, got \(got)"
        case let .invalidParameter(method, name, value, expected):
            return "\(method): \(name) = \(value) is invalid; expected \(expected)"
        case let .nonFiniteValue(method, row, column):
            return "\(method): value at row \(row), column \(column) is not finite"
        case let .lapackFailure(routine, info):
            return "\(routine) failed with info = \(info)"
        case let .unreadableNpy(path, reason):
            return "cannot read \(path): \(reason)"
        }
    }
}
