/// Walks expressions and computes their values in a session.
///
/// Errors carry the span of the expression that failed; a builtin's error without
/// a place gets the span of its call.
struct Evaluator {
    let session: Session

    /// Keywords and builtins count as known names when suggesting a fix for a typo.
    private static let keywordNames = ["true", "false", "none", "and", "or", "not"]

    func execute(_ statement: Statement) throws -> Value {
        try session.checkCancelled()
        switch statement {
        case .assignment(let name, let nameSpan, let expression):
            if session.registry.builtin(named: name) != nil {
                throw LensError(.name, "'\(name)' is a builtin and cannot be assigned to", at: nameSpan,
                                hint: "choose another name, such as '\(name)_value'")
            }
            let value = try evaluate(expression)
            session.assign(name, value)
            return .none
        case .expression(let expression):
            return try evaluate(expression)
        }
    }

    func evaluate(_ expression: ExpressionNode) throws -> Value {
        switch expression.kind {
        case .number(let number): return .number(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .none: return .none
        case .variable(let name): return try lookUp(name, at: expression.span)
        case .list(let elements): return .list(try elements.map(evaluate))
        case .range(let lowExpression, let highExpression):
            let low = try evaluate(lowExpression), high = try evaluate(highExpression)
            guard let lowInteger = low.integerValue else {
                throw LensError(.type, "a range needs whole numbers, got \(low.typeName) \(ArgumentBinder.preview(low))",
                                at: lowExpression.span)
            }
            guard let highInteger = high.integerValue else {
                throw LensError(.type, "a range needs whole numbers, got \(high.typeName) \(ArgumentBinder.preview(high))",
                                at: highExpression.span)
            }
            return .range(low: lowInteger, high: highInteger)
        case .unary(let op, let operandExpression):
            let operand = try evaluate(operandExpression)
            return try Arithmetic.unary(op, operand, at: expression.span)
        case .binary(let op, let leftExpression, let rightExpression, let operatorSpan):
            let left = try evaluate(leftExpression)
            if op == .and || op == .or {
                guard let leftFlag = left.boolValue else {
                    throw LensError(.type, "'\(op.rawValue)' needs true or false, got \(left.typeName)", at: leftExpression.span)
                }
                if op == .and && !leftFlag { return .bool(false) }
                if op == .or && leftFlag { return .bool(true) }
                let right = try evaluate(rightExpression)
                guard let rightFlag = right.boolValue else {
                    throw LensError(.type, "'\(op.rawValue)' needs true or false, got \(right.typeName)", at: rightExpression.span)
                }
                return .bool(rightFlag)
            }
            let right = try evaluate(rightExpression)
            return try Arithmetic.binary(op, left, right, at: operatorSpan)
        case .call(let calleeExpression, let arguments):
            return try call(calleeExpression, arguments, span: expression.span)
        case .index(let baseExpression, let indexExpression):
            let base = try evaluate(baseExpression)
            let index = try evaluate(indexExpression)
            return try Members.index(base, index, at: indexExpression.span)
        case .member(let baseExpression, let name, let nameSpan):
            let base = try evaluate(baseExpression)
            return try Members.member(base, name, at: nameSpan)
        }
    }

    private func lookUp(_ name: String, at span: SourceSpan) throws -> Value {
        if let value = session.variables[name] { return value }
        if let builtin = session.registry.builtin(named: name) { return .function(builtin) }
        let known = Array(session.variables.keys) + session.registry.names + Evaluator.keywordNames
        let pythonSpelling = ["True", "False", "None"].contains(name) ? "write '\(name.lowercased())'" : nil
        let hint = pythonSpelling ?? NameSuggestion.hint(for: name, among: known)
        throw LensError(.name, "'\(name)' is not defined", at: span, hint: hint ?? "assign it first: \(name) = ...")
    }

    private func call(_ calleeExpression: ExpressionNode, _ arguments: [Argument], span: SourceSpan) throws -> Value {
        let callee = try evaluate(calleeExpression)
        guard case .function(let builtin) = callee else {
            throw LensError(.type, "\(callee.typeName) is not callable", at: calleeExpression.span,
                            hint: "only builtins can be called; help() lists them")
        }
        let given = try arguments.map { argument in
            ArgumentBinder.Given(label: argument.label, labelSpan: argument.labelSpan,
                                 value: try evaluate(argument.value), span: argument.value.span)
        }
        let invocation = try ArgumentBinder(builtin: builtin).bind(given, callSpan: span, session: session)
        try session.checkCancelled()
        do {
            return try builtin.body(invocation)
        } catch let error as LensError {
            throw error.located(at: span)
        } catch {
            throw EngineErrors.translate(error, in: invocation, at: span)
        }
    }
}
