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

    /// Indexing follows numpy: `t[i]` is a number for a 1-D tensor (`logits(net, img)[281]`) and
    /// row i otherwise (`features(...)[3]` is one image's code); `t[a..b]` keeps rows a to b.
    static func index(_ tensor: Tensor, _ index: Value, at span: SourceSpan) throws -> Value {
        guard let rows = tensor.shape.first else {
            throw LensError(.type, "a tensor with no axes cannot be indexed", at: span)
        }
        let rowShape = Array(tensor.shape.dropFirst())
        let rowSize = rowShape.reduce(1, *)
        if case .range(let low, let high) = index {
            let picked = try Members.slice(low, high, count: rows, at: span)
            let data = Array(tensor.data[(picked.lowerBound * rowSize)..<((picked.upperBound + 1) * rowSize)])
            return .engine(.tensor(try Tensor(shape: [picked.count] + rowShape, data: data)))
        }
        let row = try Members.position(index, count: rows, at: span)
        if rowShape.isEmpty { return .number(Double(tensor.data[row])) }
        return .engine(.tensor(try Tensor(shape: rowShape, data: Array(tensor.data[(row * rowSize)..<((row + 1) * rowSize)]))))
    }

    static func combine(_ op: BinaryOperator, _ tensor: Tensor, _ other: Value, tensorOnLeft: Bool) throws -> Tensor? {
        switch other {
        case .number(let number):
            let scalar = Float(number)
            // A finite language number beyond Float's range would silently become infinity in every element.
            if number.isFinite, !scalar.isFinite {
                throw LensError(.value, "\(NumberFormatting.format(number)) is too large for a tensor's 32-bit numbers (at most 3.4e38 in size)")
            }
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
