/// The layer ops feed-forward style networks add to the classifiers' set (Johnson et al. 2016,
/// Dumoulin et al. 2017; their ONNX exports): instance normalisation, reflect padding,
/// resizing, and the elementwise and reduction ops exporters write conditional instance norm
/// with. Their kinds, evaluation, shapes and receptive fields live here so the shared switches
/// in `LayerOp`, `LayerNode` and `LayerGraph` only dispatch to this file.
extension LayerOp {
    /// Whether the op is one of this file's.
    var isStyleNetworkOp: Bool {
        switch self {
        case .instanceNorm, .pad, .resize, .power, .sqrt, .reduce: return true
        default: return false
        }
    }

    /// `kind(kernel:)` for this file's ops.
    var styleNetworkKind: String {
        switch self {
        case .instanceNorm: return "instance norm"
        case .pad(let a): return "pad \(a.mode.rawValue)"
        case .resize(let a):
            let factor = a.height.map { "to \($0)x\(a.width ?? 0)" } ?? "x\(LayerOp.compact(a.scaleHeight))"
                + (a.scaleWidth == a.scaleHeight ? "" : "x\(LayerOp.compact(a.scaleWidth))")
            return "resize \(a.sampling.mode.rawValue) \(factor)"
        case .power(let exponent): return "pow \(LayerOp.compact(Double(exponent)))"
        case .sqrt: return "sqrt"
        case .reduce(let a): return "reduce \(a.operation.rawValue) \(a.axes)"
        default: return "\(self)"
        }
    }

    private static func compact(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? "\(Int(value))" : "\(value)"
    }
}

/// ONNX Pad on the batched tensor.
public struct PadAttributes: Equatable, Sendable {
    /// Amounts before each axis then after each axis, batch axis included (ONNX's layout:
    /// [x1_begin, x2_begin, ..., x1_end, x2_end, ...]); negative amounts crop.
    public var pads: [Int]
    public var mode: PaddingMode
    /// The fill of constant padding.
    public var value: Float

    public init(pads: [Int], mode: PaddingMode, value: Float = 0) {
        self.pads = pads
        self.mode = mode
        self.value = value
    }

    /// (before, after) per axis.
    var pairs: [(before: Int, after: Int)] {
        let rank = pads.count / 2
        return (0..<rank).map { (pads[$0], pads[$0 + rank]) }
    }
}

/// ONNX Resize or Upsample on the two spatial axes of [N, C, H, W].
public struct ResizeAttributes: Equatable, Sendable {
    public var sampling: ResizeSampling
    /// Output / input along height and width, as the model states it (or implied by `height`).
    public var scaleHeight: Double
    public var scaleWidth: Double
    /// A fixed output size (ONNX `sizes`); nil: floor(input · scale).
    public var height: Int?
    public var width: Int?

    public init(sampling: ResizeSampling, scaleHeight: Double, scaleWidth: Double, height: Int? = nil, width: Int? = nil) {
        self.sampling = sampling
        self.scaleHeight = scaleHeight
        self.scaleWidth = scaleWidth
        self.height = height
        self.width = width
    }

    /// Output height and width for an input plane of `inHeight` x `inWidth`.
    func outputSize(inHeight: Int, inWidth: Int) -> (Int, Int) {
        (height ?? Int((Double(inHeight) * scaleHeight).rounded(.down)), width ?? Int((Double(inWidth) * scaleWidth).rounded(.down)))
    }
}

/// ONNX ReduceMean / ReduceSum over axes of the batched tensor (never the batch axis).
public struct ReduceAttributes: Equatable, Sendable {
    public enum Operation: String, Equatable, Sendable {
        case mean, sum
    }

    public var operation: Operation
    /// Non-negative axes of the batched tensor, each at least 1, in increasing order.
    public var axes: [Int]
    public var keepDims: Bool

    public init(operation: Operation, axes: [Int], keepDims: Bool) {
        self.operation = operation
        self.axes = axes
        self.keepDims = keepDims
    }
}

extension LayerNode {
    /// `apply` for the ops of `LayerOp+StyleNetworks`.
    func applyStyleNetworkOp(_ x: Tensor) throws -> Tensor {
        switch op {
        case .instanceNorm(let epsilon):
            return try x.instanceNorm(scale: parameters["scale"], bias: parameters["bias"], epsilon: epsilon)
        case .pad(let a):
            return try x.padded(a.pairs, mode: a.mode, value: a.value)
        case .resize(let a):
            guard x.rank == 4 else { throw EngineError.shapeMismatch("resize needs an [N, C, H, W] input, got \(x.shape)") }
            let (height, width) = a.outputSize(inHeight: x.shape[2], inWidth: x.shape[3])
            return try x.resized(height: height, width: width, scales: (a.scaleHeight, a.scaleWidth), sampling: a.sampling)
        case .power(let exponent):
            // The common exponents as their exact ops (and gradients); any other through pow.
            if exponent == 2 { return x.square() }
            if exponent == 1 { return x }
            return x.power(exponent)
        case .sqrt:
            return x.sqrt()
        case .reduce(let a):
            var result = x
            // Highest axis first, so the lower axes keep their numbers when keepDims is false.
            for axis in a.axes.sorted(by: >) {
                let length = result.shape[axis]
                result = try result.sum(axis: axis, keepDims: a.keepDims)
                if a.operation == .mean { result = result * (1 / Float(max(length, 1))) }
            }
            return result
        default:
            throw EngineError.invalid("\(op.kind(kernel: nil)) is not a style-network op")
        }
    }
}

extension LayerGraph {
    /// `outputShape(of:inputs:)` for the ops of `LayerOp+StyleNetworks`.
    static func styleNetworkOutputShape(of node: LayerNode, input x: [Int]) throws -> [Int] {
        switch node.op {
        case .instanceNorm:
            guard x.count >= 3 else { throw EngineError.shapeMismatch("needs an [N, C, spatial...] input") }
            for key in ["scale", "bias"] {
                if let tensor = node.parameters[key], tensor.shape != [x[1]] {
                    throw EngineError.shapeMismatch("\(key) has shape \(tensor.shape), expected [\(x[1])]")
                }
            }
            return x
        case .pad(let a):
            guard a.pads.count == 2 * x.count else { throw EngineError.shapeMismatch("\(a.pads.count) pads for a rank-\(x.count) input") }
            guard a.pads[0] == 0, a.pads[x.count] == 0 else { throw EngineError.invalid("pads \(a.pads) change the batch axis") }
            // The tensor op checks the amounts; run it on the shape alone by its own rules.
            return try zip(x, a.pairs).enumerated().map { axis, entry in
                let (size, pad) = entry
                let kept = size - max(-pad.before, 0) - max(-pad.after, 0)
                let length = kept + max(pad.before, 0) + max(pad.after, 0)
                guard kept >= 1 else {
                    throw EngineError.shapeMismatch("pads (\(pad.before), \(pad.after)) leave nothing of axis \(axis) of size \(size)")
                }
                if a.mode == .reflect, max(pad.before, pad.after) >= kept {
                    throw EngineError.invalid("reflect padding by (\(pad.before), \(pad.after)) on axis \(axis) of size \(size); each amount must be less than the size left after cropping (\(kept))")
                }
                return length
            }
        case .resize(let a):
            guard x.count == 4 else { throw EngineError.shapeMismatch("needs an [N, C, H, W] input") }
            let (height, width) = a.outputSize(inHeight: x[2], inWidth: x[3])
            guard height >= 1, width >= 1 else { throw EngineError.shapeMismatch("resizes \(x[2])x\(x[3]) to nothing (\(height)x\(width))") }
            return [x[0], x[1], height, width]
        case .power, .sqrt:
            return x
        case .reduce(let a):
            guard a.axes.allSatisfy({ $0 >= 1 && $0 < x.count }), Set(a.axes).count == a.axes.count else {
                throw EngineError.invalid("axes \(a.axes) must be distinct axes 1..<\(x.count) (the batch axis stays)")
            }
            return x.indices.compactMap { a.axes.contains($0) ? (a.keepDims ? 1 : nil) : x[$0] }
        default:
            throw EngineError.invalid("not a style-network op")
        }
    }
}

extension ReceptiveField {
    /// After a style-network op with `attributes`-dependent geometry: padding shifts where the
    /// first unit sits; a resize by an integer factor that divides the jump divides it (a
    /// linear resize also reaches one more input unit); spatial reductions see the whole axis.
    /// Other resizes leave the field as it was (a fractional jump has no integer description).
    mutating func styleNetworkOp(_ op: LayerOp, axis: Int, outputSize: Int) {
        switch op {
        case .pad(let a) where a.pads.count / 2 > axis:
            window(kernel: 1, stride: 1, paddingBefore: a.pads[axis], outputSize: outputSize)
        case .resize(let a):
            let scale = axis == 2 ? a.scaleHeight : a.scaleWidth
            let factor = Int(scale.rounded())
            if Double(factor) == scale, factor >= 1, jump % factor == 0 {
                let first: Double
                switch a.sampling.coordinateTransformation {
                case .halfPixel, .pytorchHalfPixel: first = 0.5 / scale - 0.5
                case .asymmetric, .alignCorners: first = 0
                }
                if a.sampling.mode == .linear && factor > 1 { field += jump }
                start += first * Double(jump)
                jump /= factor
            }
            size = outputSize
        case .reduce(let a) where a.axes.contains(axis):
            global()
        default:
            size = outputSize
        }
    }
}
