/// Renders a table as text/plain, text/markdown and text/html.
///
/// Long tables show their first `headCount` rows and a line saying how many there are,
/// so a 1000-row result stays readable in a notebook.
public struct TableRenderer {
    public let table: Table
    public var headCount = 20
    /// Tables up to this many rows are shown whole.
    public var wholeLimit = 30

    public init(table: Table) {
        self.table = table
    }

    private var shownRows: [[String]] {
        let rows = table.rows.count > wholeLimit ? Array(table.rows.prefix(headCount)) : table.rows
        return rows.map { row in table.columns.indices.map { $0 < row.count ? Table.cellText(row[$0]) : "" } }
    }

    private var footer: String? {
        table.rows.count > wholeLimit ? "… \(table.rows.count) rows in all (showing the first \(headCount))" : nil
    }

    public func bundle() -> DisplayBundle {
        DisplayBundle(data: ["text/plain": plainText(), "text/markdown": markdown(), "text/html": html()])
    }

    /// Columns padded to their widest cell; numbers right-aligned.
    public func plainText() -> String {
        let rows = shownRows
        var widths = table.columns.map { $0.count }
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let numeric = numericColumns
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let padding = String(repeating: " ", count: widths[i] - cell.count)
                return numeric[i] ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines: [String] = []
        if let title = table.title { lines.append(title) }
        lines.append(line(table.columns))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += rows.map(line)
        if let footer { lines.append(footer) }
        return lines.joined(separator: "\n")
    }

    public func markdown() -> String {
        func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        var lines: [String] = []
        if let title = table.title { lines.append("**\(escape(title))**\n") }
        lines.append("| " + table.columns.map(escape).joined(separator: " | ") + " |")
        lines.append("|" + numericColumns.map { $0 ? " ---: |" : " --- |" }.joined())
        lines += shownRows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }
        if let footer { lines.append("\n*\(footer)*") }
        return lines.joined(separator: "\n")
    }

    public func html() -> String {
        var html = "<table>\n"
        if let title = table.title { html += "<caption>\(HTML.escape(title))</caption>\n" }
        html += "<thead><tr>" + table.columns.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        let numeric = numericColumns
        for row in shownRows {
            html += "<tr>" + row.enumerated().map { i, cell in
                numeric[i] ? "<td style=\"text-align:right\">\(HTML.escape(cell))</td>" : "<td>\(HTML.escape(cell))</td>"
            }.joined() + "</tr>\n"
        }
        html += "</tbody>\n</table>"
        if let footer { html += "\n<p><em>\(HTML.escape(footer))</em></p>" }
        return html
    }

    /// A column is numeric when every shown cell in it is a number.
    private var numericColumns: [Bool] {
        table.columns.indices.map { column in
            !table.rows.isEmpty && table.rows.prefix(headCount).allSatisfy { row in
                if column < row.count, case .number = row[column] { return true }
                return false
            }
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var scalars = Array(unicodeScalars)
        while scalars.last == " " { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
