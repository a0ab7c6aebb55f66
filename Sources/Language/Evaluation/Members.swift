/// Member access (`t.probability`, `net.layers`) and indexing (`xs[0]`, `t["class"]`).
enum Members {
    /// The members each plain type offers, with what they mean (listed in errors and completion).
    static func names(of value: Value) -> [String: String] {
        switch value {
        case .list, .range, .string: return ["length": "the number of items"]
        case .table(let table):
            var names = ["rows": "the number of rows", "columns": "the column names"]
            for column in table.columns where isIdentifier(column) { names[column] = "the column '\(column)' as a list" }
            return names
        case .engine(let engineValue): return engineValue.memberNames
        case .widget: return ["value": "the control's current value (as the front end last set it)",
                              "id": "the widget's model id"]
        default: return [:]
        }
    }

    static func member(_ base: Value, _ name: String, at span: SourceSpan) throws -> Value {
        switch base {
        case .list, .range, .string:
            if name == "length", let count = base.count { return .number(Double(count)) }
        case .table(let table):
            if name == "rows" { return .number(Double(table.rows.count)) }
            if name == "columns" { return .list(table.columns.map { .string($0) }) }
            if let column = table.column(name) { return .list(column) }
        case .engine(let engineValue):
            if let value = try engineValue.member(name) { return value }
        case .widget(let widget):
            if name == "value" { return widget.value }
            if name == "id" { return .string(widget.id) }
        default:
            break
        }
        let available = names(of: base).keys.sorted()
        let hint = available.isEmpty ? nil
            : (NameSuggestion.hint(for: name, among: available) ?? "members: " + available.joined(separator: ", "))
        throw LensError(.name, "\(base.typeName) has no member '\(name)'", at: span, hint: hint)
    }

    static func index(_ base: Value, _ index: Value, at span: SourceSpan) throws -> Value {
        switch (base, index) {
        case (.list(let items), .range(let low, let high)):
            return .list(Array(items[try slice(low, high, count: items.count, at: span)]))
        case (.list(let items), _):
            return items[try position(index, count: items.count, at: span)]
        case (.range(let low, _), _):
            let count = base.count ?? 0
            return .number(Double(low + (try position(index, count: count, at: span))))
        case (.string(let text), _):
            let characters = Array(text)
            return .string(String(characters[try position(index, count: characters.count, at: span)]))
        case (.table(let table), .string(let name)):
            guard let column = table.column(name) else {
                throw LensError(.name, "the table has no column '\(name)'", at: span,
                                hint: "columns: " + table.columns.joined(separator: ", "))
            }
            return .list(column)
        case (.table(let table), _):
            return .table(table.row(try position(index, count: table.rows.count, at: span)))
        case (.engine(let engineValue), _):
            if let value = try engineValue.indexed(by: index, at: span) { return value }
        default:
            break
        }
        throw LensError(.type, "\(base.typeName) cannot be indexed with \(index.typeName)", at: span)
    }

    /// The positions `low...high` of a list (`xs[0..9]`, both ends included like ranges), checked.
    static func slice(_ low: Int, _ high: Int, count: Int, at span: SourceSpan) throws -> ClosedRange<Int> {
        guard low >= 0, low <= high, high < count else {
            let valid = count == 0 ? "it is empty" : "a slice must lie within 0..\(count - 1)"
            throw LensError(.value, "slice \(low)..\(high) is out of range", at: span, hint: valid)
        }
        return low...high
    }

    /// A checked position from a whole-number index; negative indices count from the end.
    static func position(_ index: Value, count: Int, at span: SourceSpan) throws -> Int {
        guard let integer = index.integerValue else {
            throw LensError(.type, "an index must be a whole number, got \(index.typeName)", at: span)
        }
        let position = integer < 0 ? count + integer : integer
        guard position >= 0, position < count else {
            let valid = count == 0 ? "it is empty" : "valid indices are 0 to \(count - 1) (or -\(count) to -1)"
            throw LensError(.value, "index \(integer) is out of range", at: span, hint: valid)
        }
        return position
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, Lexer.isIdentifierStart(first) else { return false }
        return text.unicodeScalars.allSatisfy(Lexer.isIdentifierPart) && TokenKind.keywords[text] == nil
    }
}
