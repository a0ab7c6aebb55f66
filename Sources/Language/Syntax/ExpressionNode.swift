/// An expression of the language with the span of source it came from.
public struct ExpressionNode: Sendable {
    public let kind: ExpressionKind
    public let span: SourceSpan
    /// The depth of the tree below this node (1 for a leaf), bounded by the parser.
    public let height: Int

    public init(kind: ExpressionKind, span: SourceSpan) {
        self.kind = kind
        self.span = span
        height = 1 + (kind.children.map(\.height).max() ?? 0)
    }
}

/// The shapes an expression can take.
public indirect enum ExpressionKind: Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none
    case variable(String)
    case list([ExpressionNode])
    /// `low..high`: the integers from low up to and including high (as lecture code writes channel ranges `0..15`).
    case range(ExpressionNode, ExpressionNode)
    case unary(UnaryOperator, ExpressionNode)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode, operatorSpan: SourceSpan)
    case call(ExpressionNode, [Argument])
    case index(ExpressionNode, ExpressionNode)
    case member(ExpressionNode, String, nameSpan: SourceSpan)
}

extension ExpressionKind {
    /// The direct subexpressions.
    var children: [ExpressionNode] {
        switch self {
        case .number, .string, .bool, .none, .variable: return []
        case .list(let items): return items
        case .range(let a, let b), .binary(_, let a, let b, _), .index(let a, let b): return [a, b]
        case .unary(_, let a), .member(let a, _, _): return [a]
        case .call(let callee, let arguments): return [callee] + arguments.map(\.value)
        }
    }
}

/// One argument of a call: positional when `label` is nil.
public struct Argument: Sendable {
    public var label: String?
    public var labelSpan: SourceSpan?
    public var value: ExpressionNode
}

public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not = "not"
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%", power = "**"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and = "and", or = "or"
}

/// A statement: an assignment to a name, or an expression whose value may be shown.
public enum Statement: Sendable {
    case assignment(name: String, nameSpan: SourceSpan, value: ExpressionNode)
    case expression(ExpressionNode)

    public var span: SourceSpan {
        switch self {
        case .assignment(_, let nameSpan, let value): return nameSpan.through(value.span)
        case .expression(let expression): return expression.span
        }
    }
}
