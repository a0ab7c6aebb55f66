/// + - * / between tensors (broadcasting, see `Broadcast`) and with constants.
extension Tensor {
    enum BinaryOperation: String { case add = "+", subtract = "-", multiply = "*", divide = "/" }

    func binary(_ other: Tensor, _ operation: BinaryOperation) throws -> Tensor {
        let broadcast = try Broadcast(shape, other.shape, operation: "'\(operation.rawValue)'")
        let left = self, right = other
        let total = broadcast.shape.reduce(1, *)
        var values = [Float](repeating: 0, count: total)
        values.withUnsafeMutableBufferPointer { out in
            left.data.withUnsafeBufferPointer { a in
                right.data.withUnsafeBufferPointer { b in
                    switch operation {
                    case .add: broadcast.forEach { o, i, j in out[o] = a[i] + b[j] }
                    case .subtract: broadcast.forEach { o, i, j in out[o] = a[i] - b[j] }
                    case .multiply: broadcast.forEach { o, i, j in out[o] = a[i] * b[j] }
                    case .divide: broadcast.forEach { o, i, j in out[o] = a[i] / b[j] }
                    }
                }
            }
        }
        return Tensor.makeResult(shape: broadcast.shape, data: values, parents: [left, right]) { outputGradient, _ in
            if broadcast.isTrivial && operation == .add {
                // Residual connections: both inputs receive the gradient as is (shared storage).
                left.accumulateGradient(outputGradient)
                right.accumulateGradient(outputGradient)
                return
            }
            outputGradient.withUnsafeBufferPointer { g in
                left.data.withUnsafeBufferPointer { a in
                    right.data.withUnsafeBufferPointer { b in
                        // Scatter with += so broadcast (repeated) operands sum their gradient.
                        left.accumulateGradient { ga in
                            switch operation {
                            case .add, .subtract: broadcast.forEach { o, i, _ in ga[i] += g[o] }
                            case .multiply: broadcast.forEach { o, i, j in ga[i] += g[o] * b[j] }
                            case .divide: broadcast.forEach { o, i, j in ga[i] += g[o] / b[j] }
                            }
                        }
                        right.accumulateGradient { gb in
                            switch operation {
                            case .add: broadcast.forEach { o, _, j in gb[j] += g[o] }
                            case .subtract: broadcast.forEach { o, _, j in gb[j] -= g[o] }
                            case .multiply: broadcast.forEach { o, i, j in gb[j] += g[o] * a[i] }
                            case .divide: broadcast.forEach { o, i, j in gb[j] -= g[o] * a[i] / (b[j] * b[j]) }
                            }
                        }
                    }
                }
            }
        }
    }

    public static func + (left: Tensor, right: Tensor) throws -> Tensor { try left.binary(right, .add) }
    public static func - (left: Tensor, right: Tensor) throws -> Tensor { try left.binary(right, .subtract) }
    public static func * (left: Tensor, right: Tensor) throws -> Tensor { try left.binary(right, .multiply) }
    public static func / (left: Tensor, right: Tensor) throws -> Tensor { try left.binary(right, .divide) }

    public static func + (left: Tensor, right: Float) -> Tensor {
        left.mapElements({ $0 + right }, derivative: { _, _ in 1 })
    }
    public static func - (left: Tensor, right: Float) -> Tensor {
        left.mapElements({ $0 - right }, derivative: { _, _ in 1 })
    }
    public static func * (left: Tensor, right: Float) -> Tensor {
        left.mapElements({ $0 * right }, derivative: { _, _ in right })
    }
    public static func / (left: Tensor, right: Float) -> Tensor {
        left.mapElements({ $0 / right }, derivative: { _, _ in 1 / right })
    }
    public static func + (left: Float, right: Tensor) -> Tensor { right + left }
    public static func * (left: Float, right: Tensor) -> Tensor { right * left }
    public static func - (left: Float, right: Tensor) -> Tensor {
        right.mapElements({ left - $0 }, derivative: { _, _ in -1 })
    }
}
