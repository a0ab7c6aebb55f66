/// A value of the language.
///
/// Engine objects (tensors, pictures, models) are wrapped in their own cases so
/// the evaluator can switch over every kind; each renders itself for the notebook
/// through `Value.displayBundle()`.
public enum Value {
    case none
    case number(Double)
    case string(String)
    case bool(Bool)
    case list([Value])
    /// The integers `low...high`, kept lazy so `0..1000000` costs nothing until used.
    case range(low: Int, high: Int)
    case table(Table)
    case function(Builtin)
    case help(HelpText)
    case engine(EngineValue)
    /// A Jupyter widget (slider, dropdown, picture, box...) whose state the front end may change.
    case widget(Widget)

    /// The type's name as error messages and `type(x)` say it.
    public var typeName: String {
        switch self {
        case .none: return "none"
        case .number: return "number"
        case .string: return "string"
        case .bool: return "bool"
        case .list: return "list"
        case .range: return "range"
        case .table: return "table"
        case .function: return "builtin"
        case .help: return "help"
        case .engine(let value): return value.typeName
        case .widget: return "widget"
        }
    }

    /// The integer this value holds, if it is a whole number.
    public var integerValue: Int? {
        guard case .number(let number) = self, number.rounded() == number, abs(number) < 9e15 else { return nil }
        return Int(number)
    }

    /// Elements of lists and ranges (ranges expand; callers bound their size first).
    public var elements: [Value]? {
        switch self {
        case .list(let values): return values
        case .range(let low, let high): return low <= high ? (low...high).map { .number(Double($0)) } : []
        default: return nil
        }
    }

    /// The count of elements in a list, range, string or table.
    public var count: Int? {
        switch self {
        case .list(let values): return values.count
        case .range(let low, let high): return max(0, high - low + 1)
        case .string(let text): return text.count
        case .table(let table): return table.rows.count
        default: return nil
        }
    }

    /// Equality for `==`: numbers, strings, bools and none by value, lists element-wise, objects by identity.
    public func isEqual(to other: Value) -> Bool {
        switch (self, other) {
        case (.none, .none): return true
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.range(let a1, let a2), .range(let b1, let b2)): return a1 == b1 && a2 == b2
        case (.list, .list), (.list, .range), (.range, .list):
            guard count == other.count, let a = elements, let b = other.elements else { return false }
            return zip(a, b).allSatisfy { $0.isEqual(to: $1) }
        case (.function(let a), .function(let b)): return a.name == b.name
        case (.table(let a), .table(let b)): return a === b
        case (.engine(let a), .engine(let b)): return a.isSameObject(as: b)
        case (.widget(let a), .widget(let b)): return a === b
        default: return false
        }
    }

    /// Truth for `and`, `or` and `not`: only bools qualify, so mistakes surface as errors.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }
}
