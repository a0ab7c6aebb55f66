/// A Float32 tensor that records how it was computed, for reverse-mode differentiation.
///
/// Storage is row-major and contiguous; images are NCHW. A tensor is a class because the
/// recorded graph refers to its inputs by identity: the gradient with respect to an input
/// image lands in that very object's `grad`.
///
/// The graph is recorded only where it is needed: an op's output remembers its parents and
/// its backward function only if some parent `requiresGrad`. Inference (weights and input
/// without `requiresGrad`) therefore keeps nothing alive.
public final class Tensor {
    /// Dimensions, outermost first. `[]` is not used: scalars have shape `[1]`.
    public let shape: [Int]
    /// The values, `shape.reduce(1, *)` of them, row-major. Mutate them in place freely (an
    /// optimiser does), but keep the count: ops read them through unchecked pointers.
    public var data: [Float]
    /// dLoss/dself, filled by `backward` on every tensor of the graph that `requiresGrad`.
    public var grad: [Float]?
    /// Set true on an input to get its gradient; op outputs inherit it from any parent.
    public var requiresGrad: Bool
    /// A label such as a layer name, for debugging and for finding a layer's tensor.
    public var name: String?
    /// Called during `backward` with the gradient that arrived at this tensor, before it is
    /// passed on to the parents; may rewrite it (e.g. set it to the activation, or to a one-hot).
    public var gradientHook: ((inout [Float]) -> Void)?

    /// The tensors this one was computed from (empty for leaves and untracked results).
    var parents: [Tensor] = []
    /// Adds this tensor's contribution to its parents' gradients, given dLoss/dself.
    var backwardFunction: BackwardFunction?

    /// Creates a tensor from values; throws if the count does not match the shape.
    public init(shape: [Int], data: [Float], requiresGrad: Bool = false) throws {
        try Tensor.validate(shape: shape, operation: "Tensor")
        let expected = shape.reduce(1, *)
        guard data.count == expected else {
            throw EngineError.shapeMismatch("Tensor: shape \(shape) needs \(expected) values, got \(data.count)")
        }
        _ = MemoryTuning.applied
        self.shape = shape
        self.data = data
        self.requiresGrad = requiresGrad
    }

    /// Creates a tensor of zeros.
    public convenience init(zeros shape: [Int], requiresGrad: Bool = false) throws {
        try Tensor.validate(shape: shape, operation: "Tensor(zeros:)")
        try self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    /// Creates a tensor filled with one value.
    public convenience init(shape: [Int], repeating value: Float, requiresGrad: Bool = false) throws {
        try Tensor.validate(shape: shape, operation: "Tensor(repeating:)")
        try self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    /// A scalar (shape `[1]`).
    public convenience init(scalar value: Float, requiresGrad: Bool = false) {
        self.init(validShape: [1], data: [value])
        self.requiresGrad = requiresGrad
    }

    /// Internal initializer for ops, whose shapes are correct by construction.
    init(validShape shape: [Int], data: [Float]) {
        _ = MemoryTuning.applied
        self.shape = shape
        self.data = data
        self.requiresGrad = false
    }

    /// Number of elements.
    public var count: Int { data.count }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The same values as a new leaf, cut off from the graph (no gradient flows through it).
    public func detached() -> Tensor {
        let copy = Tensor(validShape: shape, data: data)
        copy.name = name
        return copy
    }

    /// The first value, for scalars such as a loss.
    public var scalar: Float { data.first ?? 0 }

    static func validate(shape: [Int], operation: String) throws {
        guard !shape.isEmpty else {
            throw EngineError.invalid("\(operation): shape must have at least one dimension (use [1] for a scalar)")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw EngineError.invalid("\(operation): negative dimension in shape \(shape)")
        }
        var total = 1
        for dimension in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= 1 << 34 else {
                throw EngineError.invalid("\(operation): shape \(shape) is too large")
            }
            total = product
        }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = data.prefix(8).map { String($0) }.joined(separator: ", ")
        let more = data.count > 8 ? ", ..." : ""
        return "Tensor\(name.map { " '\($0)'" } ?? "")\(shape) [\(preview)\(more)]"
    }
}
