/// One stored cell: which kernel session ran it, under which execution count, and its source.
public struct HistoryEntry: Codable, Equatable, Sendable {
    public var session: Int
    public var line: Int
    public var source: String

    public init(session: Int, line: Int, source: String) {
        self.session = session
        self.line = line
        self.source = source
    }
}
