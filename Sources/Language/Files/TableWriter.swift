import Foundation

/// Writes tables as CSV (RFC 4180 quoting) or JSON (an array of objects, one per row).
enum TableWriter {
    static func csv(_ table: Table) -> String {
        func field(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var lines = [table.columns.map(field).joined(separator: ",")]
        for row in table.rows {
            lines.append(table.columns.indices.map { $0 < row.count ? field(csvText(row[$0])) : "" }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Full precision for numbers, so a saved table reads back the same.
    private static func csvText(_ value: Value) -> String {
        if case .number(let number) = value {
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        }
        return Table.cellText(value)
    }

    static func json(_ table: Table) throws -> Data {
        let objects: [[String: Any]] = table.rows.map { row in
            var object: [String: Any] = [:]
            for (index, column) in table.columns.enumerated() where index < row.count {
                object[column] = jsonValue(row[index])
            }
            return object
        }
        return try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
    }

    static func jsonValue(_ value: Value) -> Any {
        switch value {
        case .none: return NSNull()
        case .number(let number): return number.isFinite ? number : NSNull()
        case .bool(let flag): return flag
        case .string(let text): return text
        case .range(let low, let high) where (value.count ?? 0) > 1_000_000: return "\(low)..\(high)"
        case .list, .range: return (value.elements ?? []).map(jsonValue)
        default: return ValueText.printed(value)
        }
    }
}
