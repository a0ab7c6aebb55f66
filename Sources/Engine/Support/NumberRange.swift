/// The interval a number option must lie in, declared once as a named constant on the engine's
/// option types (`TSNE.Options.perplexityRange`) and used both by the engine's own checks and by the
/// language, which declares its builtin parameters with the same constants and prints them in help.
///
/// Every number must also be finite: NaN and infinity are outside every range, even an unbounded one.
public struct NumberRange: Equatable, Sendable, CustomStringConvertible {
    /// One end of the interval.
    public enum Bound: Equatable, Sendable {
        /// The end value belongs to the range.
        case inclusive(Double)
        /// The end value does not belong to the range.
        case exclusive(Double)

        public var value: Double {
            switch self {
            case .inclusive(let value), .exclusive(let value): return value
            }
        }
    }

    /// nil: no lower end (any finite number).
    public let lower: Bound?
    /// nil: no upper end (any finite number).
    public let upper: Bound?

    public init(lower: Bound?, upper: Bound?) {
        self.lower = lower
        self.upper = upper
    }

    /// `low` to `high`, both included.
    public static func closed(_ low: Double, _ high: Double) -> NumberRange {
        NumberRange(lower: .inclusive(low), upper: .inclusive(high))
    }

    /// Above `low` (excluded) up to `high` (included), as a step size or a learning rate.
    public static func aboveUpTo(_ low: Double, _ high: Double) -> NumberRange {
        NumberRange(lower: .exclusive(low), upper: .inclusive(high))
    }

    /// `low` or more.
    public static func atLeast(_ low: Double) -> NumberRange {
        NumberRange(lower: .inclusive(low), upper: nil)
    }

    /// More than `low`.
    public static func above(_ low: Double) -> NumberRange {
        NumberRange(lower: .exclusive(low), upper: nil)
    }

    /// The range with both ends multiplied by a positive `factor` (a fraction declared in grey levels).
    public func scaled(by factor: Double) -> NumberRange {
        func scale(_ bound: Bound?) -> Bound? {
            switch bound {
            case .inclusive(let value)?: return .inclusive(value * factor)
            case .exclusive(let value)?: return .exclusive(value * factor)
            case nil: return nil
            }
        }
        return NumberRange(lower: scale(lower), upper: scale(upper))
    }

    /// Whether `value` is finite and inside the interval.
    public func contains(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        switch lower {
        case .inclusive(let low)?: if value < low { return false }
        case .exclusive(let low)?: if value <= low { return false }
        case nil: break
        }
        switch upper {
        case .inclusive(let high)?: if value > high { return false }
        case .exclusive(let high)?: if value >= high { return false }
        case nil: break
        }
        return true
    }

    public func contains(_ value: Int) -> Bool { contains(Double(value)) }

    public func contains(_ value: Float) -> Bool { contains(Double(value)) }

    /// "1 to 100", "above 0 and at most 1", "at least 1", "above 0", "any finite number".
    public var description: String {
        switch (lower, upper) {
        case let (.inclusive(low)?, .inclusive(high)?): return "\(Self.format(low)) to \(Self.format(high))"
        case let (.inclusive(low)?, .exclusive(high)?): return "at least \(Self.format(low)) and below \(Self.format(high))"
        case let (.exclusive(low)?, .inclusive(high)?): return "above \(Self.format(low)) and at most \(Self.format(high))"
        case let (.exclusive(low)?, .exclusive(high)?): return "above \(Self.format(low)) and below \(Self.format(high))"
        case let (.inclusive(low)?, nil): return "at least \(Self.format(low))"
        case let (.exclusive(low)?, nil): return "above \(Self.format(low))"
        case let (nil, .inclusive(high)?): return "at most \(Self.format(high))"
        case let (nil, .exclusive(high)?): return "below \(Self.format(high))"
        case (nil, nil): return "any finite number"
        }
    }

    /// Throws `EngineError.invalid` ("dream: octaves must be 1 to 8, got 9") unless `value` is in range.
    public func check(_ value: Double, _ name: String, in operation: String) throws {
        guard contains(value) else {
            throw EngineError.invalid("\(operation): \(name) must be \(self), got \(Self.format(value))")
        }
    }

    public func check(_ value: Int, _ name: String, in operation: String) throws {
        try check(Double(value), name, in: operation)
    }

    public func check(_ value: Float, _ name: String, in operation: String) throws {
        try check(Double(value), name, in: operation)
    }

    /// Whole numbers without a fraction ("8", not "8.0"); others in Swift's shortest round-trip form.
    public static func format(_ value: Double) -> String {
        if value.isFinite, value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }
}
