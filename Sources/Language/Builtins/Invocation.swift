/// A call of a builtin with its arguments bound and checked, handed to the builtin's body.
///
/// Every declared parameter has a value here (given or default), already of the
/// declared type; the typed accessors still throw rather than trap, so a mistake in
/// a declaration becomes an error message, never a crash.
public struct Invocation {
    public let builtin: Builtin
    public let values: [String: Value]
    /// Extra positional arguments of a variadic builtin.
    public let rest: [Value]
    /// Where each given argument's value is, for errors that point at it.
    public let spans: [String: SourceSpan]
    public let callSpan: SourceSpan
    /// Names of the arguments the caller wrote (as opposed to defaults).
    public let given: Set<String>
    public let session: Session
    /// Named arguments matching no parameter, in call order, for builtins with `takesAnyNamed`.
    public var named: [(label: String, value: Value, span: SourceSpan)] = []

    public func value(_ name: String) -> Value {
        values[name] ?? .none
    }

    public func isGiven(_ name: String) -> Bool { given.contains(name) }

    /// The span of argument `name`, or of the whole call when it was not written.
    public func span(_ name: String) -> SourceSpan { spans[name] ?? callSpan }

    /// An error pointing at argument `name`.
    public func error(_ name: String, _ kind: ErrorKind, _ message: String, hint: String? = nil) -> LensError {
        LensError(kind, message, at: span(name), hint: hint)
    }

    /// A ValueError pointing at argument `name`.
    public func error(_ name: String, _ message: String, hint: String? = nil) -> LensError {
        LensError(.value, message, at: span(name), hint: hint)
    }

    public func number(_ name: String) throws -> Double {
        guard case .number(let number) = value(name) else { throw typeError(name, expected: "a number") }
        return number
    }

    public func integer(_ name: String) throws -> Int {
        guard let integer = value(name).integerValue else { throw typeError(name, expected: "a whole number") }
        return integer
    }

    public func string(_ name: String) throws -> String {
        guard case .string(let text) = value(name) else { throw typeError(name, expected: "a string") }
        return text
    }

    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let flag) = value(name) else { throw typeError(name, expected: "true or false") }
        return flag
    }

    /// The string of an optional argument, nil when it is none.
    public func optionalString(_ name: String) throws -> String? {
        if case .none = value(name) { return nil }
        return try string(name)
    }

    /// A whole number, a list of them or a range, as an array.
    public func integers(_ name: String, limit: Int = 100_000) throws -> [Int] {
        let value = value(name)
        if let single = value.integerValue { return [single] }
        if let count = value.count, count > limit {
            throw error(name, "\(count) items are too many here (at most \(limit))")
        }
        guard let elements = value.elements else { throw typeError(name, expected: "whole numbers") }
        return try elements.map { element in
            guard let integer = element.integerValue else { throw typeError(name, expected: "whole numbers") }
            return integer
        }
    }

    private func typeError(_ name: String, expected: String) -> LensError {
        LensError(.type, "argument '\(name)' of \(builtin.name) expects \(expected), got \(value(name).typeName)", at: span(name))
    }
}
