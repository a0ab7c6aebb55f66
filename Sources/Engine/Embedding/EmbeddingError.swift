/// What can go wrong in the embedding methods, with enough detail to say what and where.
public enum EmbeddingError: Error, Equatable, CustomStringConvertible {
    /// The flat buffer does not hold rows x columns values.
    case shapeMismatch(method: String, count: Int, rows: Int, columns: Int)
    /// Too few points for the method (t-SNE needs more points than the perplexity allows).
    case tooFewPoints(method: String, needed: Int, got: Int)
    /// t-SNE's perplexity needs more points than there are; `suggested` fits them (nil: too few for any).
    case perplexityTooLarge(perplexity: Double, needed: Int, got: Int, suggested: Int?)
    /// A parameter outside its valid range.
    case invalidParameter(method: String, name: String, value: String, expected: String)
    /// The data contain NaN or infinity at the given row and column.
    case nonFiniteValue(method: String, row: Int, column: Int)
    /// A value so large that squared distances would overflow 32-bit floats (`EmbeddingInput.maximumMagnitude`).
    case valueTooLarge(method: String, row: Int, column: Int, limit: Float)
    /// LAPACK reported a failure (info code).
    case lapackFailure(routine: String, info: Int)

    public var description: String {
        switch self {
        case let .shapeMismatch(method, count, rows, columns):
            return "\(method): expected \(rows) x \(columns) = \(rows * columns) values, got \(count)"
        case let .tooFewPoints(method, needed, got):
            return "\(method): needs at least \(needed) points, got \(got)"
        case let .perplexityTooLarge(perplexity, needed, got, suggested):
            let advice = suggested.map { "; for \(got) points use a perplexity below \(got), such as \($0)" }
                ?? "; a map needs at least 3 points"
            return "tsne: perplexity \(NumberRange.format(perplexity)) needs at least \(needed) points, got \(got)" + advice
        case let .invalidParameter(method, name, value, expected):
            return "\(method): \(name) = \(value) is invalid; expected \(expected)"
        case let .nonFiniteValue(method, row, column):
            return "\(method): value at row \(row), column \(column) is not finite"
        case let .valueTooLarge(method, row, column, limit):
            return "\(method): value at row \(row), column \(column) is too large (beyond \(limit) in size); "
                + "rescale the data"
        case let .lapackFailure(routine, info):
            return "\(routine) failed with info = \(info)"
        }
    }
}
