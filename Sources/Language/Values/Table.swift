/// A table of named columns, the shape of `classify`, `layers`, `images()` and friends.
///
/// A reference type so a long table is not copied when it moves between variables.
public final class Table {
    public let title: String?
    public let columns: [String]
    public let rows: [[Value]]

    public init(title: String? = nil, columns: [String], rows: [[Value]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// The values of one column, top to bottom; nil when no column has that name.
    public func column(_ name: String) -> [Value]? {
        guard let index = columns.firstIndex(of: name) else { return nil }
        return rows.map { index < $0.count ? $0[index] : .none }
    }

    /// One row as a table of its own (what `t[0]` gives).
    public func row(_ index: Int) -> Table {
        Table(title: title, columns: columns, rows: [rows[index]])
    }

    /// Text of one cell as tables show it: numbers formatted, strings bare.
    static func cellText(_ value: Value) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return NumberFormatting.format(number)
        default: return ValueText.plain(value)
        }
    }
}
