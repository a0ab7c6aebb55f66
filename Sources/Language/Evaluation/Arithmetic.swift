import Foundation

/// The operators on values: numbers, strings, lists, and engine values through `EngineValue`.
enum Arithmetic {
    /// Strings made by `*` or `+` stay below this many bytes, so a typo cannot exhaust memory.
    static let maximumLength = 10_000_000
    /// Lists made by `*` or `+` stay below this many items (each item is a full value).
    static let maximumListLength = 1_000_000

    static func unary(_ op: UnaryOperator, _ operand: Value, at span: SourceSpan) throws -> Value {
        switch (op, operand) {
        case (.negate, .number(let number)): return .number(-number)
        case (.not, .bool(let flag)): return .bool(!flag)
        case (.negate, .engine(let value)):
            if let result = try value.negated() { return .engine(result) }
        default: break
        }
        let expected = op == .negate ? "a number" : "true or false"
        throw LensError(.type, "'\(op.rawValue)' needs \(expected), got \(operand.typeName)", at: span)
    }

    static func binary(_ op: BinaryOperator, _ left: Value, _ right: Value, at span: SourceSpan) throws -> Value {
        switch op {
        case .equal: return .bool(left.isEqual(to: right))
        case .notEqual: return .bool(!left.isEqual(to: right))
        case .less, .lessEqual, .greater, .greaterEqual: return try compare(op, left, right, at: span)
        default: break
        }
        switch (left, right) {
        case (.number(let a), .number(let b)):
            return .number(try numbers(op, a, b, at: span))
        case (.string(let a), .string(let b)) where op == .add:
            try checkLength(a.utf8.count + b.utf8.count, at: span)
            return .string(a + b)
        case (.string(let text), .number), (.number, .string(let text)):
            if op == .multiply, let times = (left.integerValue ?? right.integerValue) {
                try checkLength(product(text.utf8.count, times), at: span)
                return .string(String(repeating: text, count: max(times, 0)))
            }
        case (.list, .list), (.list, .range), (.range, .list), (.range, .range):
            if op == .add, let a = left.count, let b = right.count {
                try checkLength(a + b, limit: maximumListLength, at: span)
                return .list((left.elements ?? []) + (right.elements ?? []))
            }
        case (.list(let items), .number), (.number, .list(let items)):
            if op == .multiply, let times = (left.integerValue ?? right.integerValue) {
                try checkLength(product(items.count, times), limit: maximumListLength, at: span)
                return .list(Array([[Value]](repeating: items, count: max(times, 0)).joined()))
            }
        case (.engine(let value), _):
            if let result = try value.combined(op, with: right, valueOnLeft: true) { return .engine(result) }
        case (_, .engine(let value)):
            if let result = try value.combined(op, with: left, valueOnLeft: false) { return .engine(result) }
        default:
            break
        }
        throw LensError(.type, "cannot apply '\(op.rawValue)' to \(left.typeName) and \(right.typeName)", at: span,
                        hint: hint(op, left, right))
    }

    private static func hint(_ op: BinaryOperator, _ left: Value, _ right: Value) -> String? {
        switch (left, right) {
        case (.string, .number), (.number, .string):
            return op == .add ? "join text and numbers with print(a, b)" : "arithmetic needs numbers on both sides"
        default:
            return nil
        }
    }

    /// count × times without overflow (saturating), for size checks before building a result.
    private static func product(_ count: Int, _ times: Int) -> Int {
        let (result, overflow) = count.multipliedReportingOverflow(by: max(times, 0))
        return overflow ? Int.max : result
    }

    private static func checkLength(_ length: Int, limit: Int = maximumLength, at span: SourceSpan) throws {
        guard length <= limit else {
            throw LensError(.value, "result too long (\(length) items; the limit is \(limit))", at: span)
        }
    }

    static func numbers(_ op: BinaryOperator, _ a: Double, _ b: Double, at span: SourceSpan) throws -> Double {
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide:
            guard b != 0 else { throw LensError(.value, "division by zero", at: span) }
            return a / b
        case .remainder:
            guard b != 0 else { throw LensError(.value, "remainder of division by zero", at: span) }
            // Python's rule: the result has the sign of the divisor.
            let r = fmod(a, b)
            return (r != 0 && (r < 0) != (b < 0)) ? r + b : r
        case .power: return pow(a, b)
        default:
            throw LensError(.type, "'\(op.rawValue)' is not arithmetic", at: span)
        }
    }

    private static func compare(_ op: BinaryOperator, _ left: Value, _ right: Value, at span: SourceSpan) throws -> Value {
        let order: Bool
        switch (left, right) {
        case (.number(let a), .number(let b)):
            switch op {
            case .less: order = a < b
            case .lessEqual: order = a <= b
            case .greater: order = a > b
            default: order = a >= b
            }
        case (.string(let a), .string(let b)):
            switch op {
            case .less: order = a < b
            case .lessEqual: order = a <= b
            case .greater: order = a > b
            default: order = a >= b
            }
        default:
            throw LensError(.type, "cannot compare \(left.typeName) and \(right.typeName) with '\(op.rawValue)'", at: span)
        }
        return .bool(order)
    }
}
