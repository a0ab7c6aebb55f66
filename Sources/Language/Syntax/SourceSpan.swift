/// A place in a cell's source.
///
/// Jupyter counts cursor positions in Unicode scalars, so `offset` does too;
/// `line` and `column` are 1-based for people reading error messages.
public struct SourceLocation: Equatable, Sendable {
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public static let start = SourceLocation(offset: 0, line: 1, column: 1)
}

/// A stretch of source from `start` up to (not including) `endOffset`, for carets under errors.
public struct SourceSpan: Equatable, Sendable {
    public var start: SourceLocation
    public var endOffset: Int

    public init(start: SourceLocation, endOffset: Int) {
        self.start = start
        self.endOffset = max(endOffset, start.offset)
    }

    public var length: Int { endOffset - start.offset }

    /// The span covering both `self` and `other` (assumed to start on or after `self`).
    public func through(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(start: start, endOffset: max(endOffset, other.endOffset))
    }
}
