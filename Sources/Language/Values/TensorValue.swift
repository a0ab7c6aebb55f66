import Engine

/// Text and members of tensors (raw scores, features), and their arithmetic.
enum TensorValue {
    static func summary(_ tensor: Tensor) -> String {
        let shape = "[" + tensor.shape.map(String.init).joined(separator: ", ") + "]"
        guard !tensor.data.isEmpty else { return "tensor \(shape)" }
        var low = Float.infinity, high = -Float.infinity
        var sum: Double = 0
        for value in tensor.data {
            low = min(low, value)
            high = max(high, value)
            sum += Double(value)
        }
        let preview = tensor.data.prefix(6).map { NumberFormatting.format(Double($0)) }.joined(separator: ", ")
        return "tensor \(shape) min \(NumberFormatting.format(Double(low))) max \(NumberFormatting.format(Double(high))) "
            + "mean \(NumberFormatting.format(sum / Double(tensor.data.count))): [\(preview)\(tensor.count > 6 ? ", …" : "")]"
    }

    static let memberDocs: [String: String] = [
        "shape": "the sizes of each axis",
        "values": "every number as a flat list",
        "count": "the number of values",
    ]

    static func member(_ tensor: Tensor, _ name: String) throws -> Value? {
        switch name {
        case "shape": return .list(tensor.shape.map { .number(Double($0)) })
        case "count": return .number(Double(tensor.count))
        case "values":
            guard tensor.count <= 1_000_000 else {
                throw LensError(.value, "tensor has \(tensor.count) values, too many for a list (at most 1000000)")
            }
            return .list(tensor.data.map { .number(Double($0)) })
        default: return nil
        }
    }

    /// `t[i]` indexes the flattened values (logits are [1, K], so `logits(net, img)[281]` is class 281's score).
    static func index(_ tensor: Tensor, _ index: Value, at span: SourceSpan) throws -> Value {
        let position = try Members.position(index, count: tensor.count, at: span)
        return .number(Double(tensor.data[position]))
    }

    static func combine(_ op: BinaryOperator, _ tensor: Tensor, _ other: Value, tensorOnLeft: Bool) throws -> Tensor? {
        switch other {
        case .number(let number):
            let scalar = Float(number)
            switch (op, tensorOnLeft) {
            case (.add, _): return tensor + scalar
            case (.multiply, _): return tensor * scalar
            case (.subtract, true): return tensor - scalar
            case (.subtract, false): return scalar - tensor
            case (.divide, true):
                guard scalar != 0 else { throw LensError(.value, "division by zero") }
                return tensor / scalar
            default: return nil
            }
        case .engine(.tensor(let right)):
            let (a, b) = tensorOnLeft ? (tensor, right) : (right, tensor)
            switch op {
            case .add: return try a + b
            case .subtract: return try a - b
            case .multiply: return try a * b
            case .divide: return try a / b
            default: return nil
            }
        default:
            return nil
        }
    }
}
