/// What one node of a `LayerGraph` computes, with its attributes. Learned tensors are not
/// here but in the node's `parameters`, under the names each case lists.
///
/// The set is that of the convolutional classifiers in the lectures and of the ONNX operators
/// vision frameworks export for them (https://onnx.ai/onnx/operators/): every case runs on an
/// existing `Tensor` op, so every node has its backward pass through autodiff.
public enum LayerOp: Equatable, Sendable {
    /// 2-D cross-correlation (ONNX Conv). Parameters: "weight" [Cout, Cin/groups, kh, kw]
    /// (the kernel size is read from it), optional "bias" [Cout].
    case convolution(ConvolutionAttributes)
    /// Inference batch normalisation (Ioffe & Szegedy 2015; ONNX BatchNormalization):
    /// y = gamma (x − mean) / sqrt(variance + epsilon) + beta per channel. Parameters "gamma",
    /// "beta", "mean", "variance", each [C]. Folded into a preceding convolution at load time.
    case batchNorm(epsilon: Float)
    case relu
    /// min(max(x, 0), 6) (MobileNet; ONNX Clip(0, 6)).
    case relu6
    case leakyReLU(slope: Float)
    case sigmoid
    case tanh
    /// x · relu6(x + 3) / 6 (MobileNetV3).
    case hardSwish
    /// max(0, min(1, alpha x + beta)); ONNX defaults alpha 0.2, beta 0.5, PyTorch 1/6, 1/2.
    case hardSigmoid(alpha: Float, beta: Float)
    case maxPool(PoolAttributes)
    /// Average pooling; `countIncludePad` (ONNX count_include_pad = 1, PyTorch's default) counts
    /// padding in the divisor, otherwise only the input values in the window count.
    case averagePool(PoolAttributes)
    /// [N, C, H, W] -> [N, C, 1, 1], the mean of each channel.
    case globalAveragePool
    /// Fully connected (ONNX Gemm with transB = 1): [N, in] -> [N, out]. Parameters "weight"
    /// [out, in] and optional "bias" [out].
    case linear
    /// Elementwise sum of two inputs (residual connections), NumPy broadcasting.
    case add
    /// Elementwise product of two inputs (squeeze-and-excitation gates), NumPy broadcasting.
    case mul
    /// Elementwise difference first − second of two inputs, NumPy broadcasting (ONNX Sub).
    case sub
    /// Elementwise quotient first / second of two inputs, NumPy broadcasting (ONNX Div).
    case div
    /// One input combined with the learned tensor "constant" by `operator`, NumPy broadcasting
    /// against the batched input (ONNX Add/Sub/Mul/Div with an initializer operand: biases,
    /// input normalisation, scales). `constantFirst`: constant − x, constant / x.
    case constantArithmetic(ArithmeticOperator, constantFirst: Bool)
    /// Permutation of the batched tensor's axes (ONNX Transpose): output axis i is input axis
    /// `permutation[i]`.
    case transpose(permutation: [Int])
    /// Concatenation of all inputs along `axis` (of the batched tensor; 1 is channels).
    case concat(axis: Int)
    /// [N, ...] -> [N, product of the rest].
    case flatten
    /// Reshape of each batch item to `shape` (one entry may be −1); the batch is kept.
    case reshape(shape: [Int])
    /// Softmax along `axis` of the batched tensor.
    case softmax(axis: Int)
    /// Identity at inference (Srivastava et al. 2014); kept so imported graphs keep their names.
    case dropout(ratio: Float)
    case identity
    /// Transposed 2-D convolution (ONNX ConvTranspose). Parameters: "weight" [Cin, Cout/groups,
    /// kh, kw], optional "bias" [Cout].
    case convTranspose(ConvTransposeAttributes)
    /// x where x ≥ 0, slope · x elsewhere (ONNX PRelu). Parameter "slope", broadcast to the
    /// batched input (per channel [C, 1, 1], or [1]).
    case prelu
    /// log softmax along `axis` of the batched tensor (ONNX LogSoftmax).
    case logSoftmax(axis: Int)
    /// [N, C, H, W] -> [N, C, 1, 1], the maximum of each channel (ONNX GlobalMaxPool).
    case globalMaxPool
    /// Local response normalisation across channels (AlexNet; ONNX LRN):
    /// y = x / (bias + alpha / size · Σ x² over `size` neighbouring channels)^beta.
    case localResponseNormalization(size: Int, alpha: Float, beta: Float, bias: Float)
    /// Matrix product with the learned tensor "weight" over the last axis of an input of any rank
    /// ≥ 2 (ONNX MatMul with a constant side): x · W for W [K, M], or with `constantFirst`
    /// W · x for W [M, K], contracting the input's second-to-last axis.
    case matMul(constantFirst: Bool)
    /// Elementwise sum of one or more inputs, NumPy broadcasting (ONNX Sum).
    case sum
    /// Softmax (or with `log`, log softmax) over all axes from `axis` on taken as one: the input
    /// coerced to 2-D [product of the axes before, product of the rest] (ONNX Softmax and
    /// LogSoftmax before opset 13).
    case coercedSoftmax(axis: Int, log: Bool)
    /// Instance normalisation with this input's per-sample, per-channel statistics (ONNX
    /// InstanceNormalization). Optional parameters "scale" and "bias", each [C].
    case instanceNorm(epsilon: Float)
    /// Constant, reflect or edge padding, or cropping, of any axes but the batch (ONNX Pad).
    case pad(PadAttributes)
    /// Nearest or linear resizing of the spatial axes (ONNX Resize, Upsample).
    case resize(ResizeAttributes)
    /// x^exponent elementwise for a constant exponent (ONNX Pow with a scalar exponent).
    case power(exponent: Float)
    /// Elementwise square root (ONNX Sqrt).
    case sqrt
    /// Mean or sum over axes other than the batch (ONNX ReduceMean, ReduceSum).
    case reduce(ReduceAttributes)

    /// The parameter names the op reads, required ones first.
    var parameterNames: (required: [String], optional: [String]) {
        switch self {
        case .convolution, .linear, .convTranspose: return (["weight"], ["bias"])
        case .prelu: return (["slope"], [])
        case .matMul: return (["weight"], [])
        case .batchNorm: return (["gamma", "beta", "mean", "variance"], [])
        case .constantArithmetic: return (["constant"], [])
        case .instanceNorm: return ([], ["scale", "bias"])
        default: return ([], [])
        }
    }

    /// How many inputs the op takes (nil: one or more).
    var arity: Int? {
        switch self {
        case .add, .mul, .sub, .div: return 2
        case .concat, .sum: return nil
        default: return 1
        }
    }

    /// Whether the op is a ReLU-like nonlinearity that guided backpropagation and deconvnet
    /// rules act on (`ReLURule`), fused or not.
    public var isReLULike: Bool {
        switch self {
        case .relu, .relu6: return true
        case .convolution(let attributes): return attributes.activation != .none
        default: return false
        }
    }

    /// Moves values without computing new ones, so a layer's kind does not mention it.
    var isPassThrough: Bool {
        switch self {
        case .flatten, .reshape, .transpose, .dropout, .identity: return true
        default: return false
        }
    }

    /// A short description for `layers(net)`: "conv 3x3/2 + relu", "maxpool 3/2", "linear".
    /// `kernel` is (kh, kw) of a convolution's weight.
    func kind(kernel: (Int, Int)?) -> String {
        switch self {
        case .convolution(let a):
            let (kh, kw) = kernel ?? (0, 0)
            let stride = a.stride == 1 ? "" : "/\(a.stride)"
            let dilation = a.dilation == 1 ? "" : " dilation \(a.dilation)"
            let groups = a.groups == 1 ? "" : " groups \(a.groups)"
            let activation = a.activation == .none ? "" : " + \(a.activation.rawValue)"
            return "conv \(kh)x\(kw)\(stride)\(dilation)\(groups)\(activation)"
        case .batchNorm: return "batchnorm"
        case .relu: return "relu"
        case .relu6: return "relu6"
        case .leakyReLU(let slope): return "leaky relu \(slope)"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .hardSwish: return "hardswish"
        case .hardSigmoid: return "hardsigmoid"
        case .maxPool(let p): return "maxpool \(p.kernel)/\(p.stride)"
        case .averagePool(let p): return "avgpool \(p.kernel)/\(p.stride)\(p.countIncludePad ? "" : " excluding padding")"
        case .globalAveragePool: return "global avg pool"
        case .linear: return "linear"
        case .add: return "add"
        case .mul: return "mul"
        case .sub: return "sub"
        case .div: return "div"
        case .constantArithmetic(let op, let constantFirst):
            return constantFirst ? "constant \(op.symbol) x" : "x \(op.symbol) constant"
        case .transpose(let permutation): return "transpose \(permutation)"
        case .concat: return "concat"
        case .flatten: return "flatten"
        case .reshape: return "reshape"
        case .softmax: return "softmax"
        case .dropout: return "dropout"
        case .identity: return "identity"
        case .convTranspose(let a):
            let (kh, kw) = kernel ?? (0, 0)
            let stride = a.stride == 1 ? "" : "/\(a.stride)"
            let dilation = a.dilation == 1 ? "" : " dilation \(a.dilation)"
            let groups = a.groups == 1 ? "" : " groups \(a.groups)"
            return "conv transpose \(kh)x\(kw)\(stride)\(dilation)\(groups)"
        case .prelu: return "prelu"
        case .logSoftmax: return "log softmax"
        case .globalMaxPool: return "global max pool"
        case .localResponseNormalization(let size, _, _, _): return "lrn \(size)"
        case .matMul(let constantFirst): return constantFirst ? "matmul constant x" : "matmul x constant"
        case .sum: return "sum"
        case .coercedSoftmax(let axis, let log): return "\(log ? "log softmax" : "softmax") over axes \(axis)..."
        case .instanceNorm, .pad, .resize, .power, .sqrt, .reduce: return styleNetworkKind
        }
    }
}

/// A convolution's geometry and what is fused into it.
public struct ConvolutionAttributes: Equatable, Sendable {
    public var stride: Int
    /// Zero padding: explicit per side (asymmetric allowed) or TensorFlow SAME.
    public var padding: Padding
    public var dilation: Int
    /// Input and output channels are split into `groups`; depthwise is groups == channels.
    public var groups: Int
    /// ReLU or ReLU6 applied in the convolution's own pass (`FusedActivation`).
    public var activation: FusedActivation

    public init(stride: Int = 1, padding: Padding = .symmetric(0), dilation: Int = 1, groups: Int = 1,
                activation: FusedActivation = .none) {
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.activation = activation
    }
}

/// A transposed convolution's geometry (ONNX ConvTranspose attributes, square strides and dilations).
public struct ConvTransposeAttributes: Equatable, Sendable {
    /// Rows and columns removed from the output's borders: explicit, or ONNX auto_pad SAME_UPPER
    /// / SAME_LOWER (output = input · stride, the odd row removed at the end / the start).
    public enum Padding: Equatable, Sendable {
        case explicit(top: Int, left: Int, bottom: Int, right: Int)
        case same(upper: Bool)
    }

    public var stride: Int
    public var padding: Padding
    /// Extra rows and columns at the bottom and right of the output (ONNX output_padding), each
    /// below the stride.
    public var outputPadding: [Int]
    public var dilation: Int
    public var groups: Int

    public init(stride: Int = 1, padding: Padding = .explicit(top: 0, left: 0, bottom: 0, right: 0), outputPadding: [Int] = [0, 0],
                dilation: Int = 1, groups: Int = 1) {
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation
        self.groups = groups
    }

    /// The pads for an input of `height` x `width` and a kernel (kh, kw): explicit ones as
    /// given; SAME ones from total = stride · (in − 1) + output padding + (k − 1) · dilation + 1
    /// − in · stride, half at the start (SAME_UPPER: the smaller half; ONNX ConvTranspose).
    /// Throws when SAME would need a negative total.
    public func pads(height: Int, width: Int, kernel: (Int, Int)) throws -> (top: Int, left: Int, bottom: Int, right: Int) {
        switch padding {
        case let .explicit(top, left, bottom, right): return (top, left, bottom, right)
        case .same(let upper):
            func split(_ size: Int, _ k: Int, _ extra: Int) throws -> (Int, Int) {
                let total = stride * (size - 1) + extra + (k - 1) * dilation + 1 - size * stride
                guard total >= 0 else {
                    throw EngineError.unsupported("conv transpose: SAME padding needs \(-total) rows added to reach \(size * stride); only removing rows is supported")
                }
                return upper ? (total / 2, total - total / 2) : (total - total / 2, total / 2)
            }
            let (top, bottom) = try split(height, kernel.0, outputPadding[safe: 0] ?? 0)
            let (left, right) = try split(width, kernel.1, outputPadding[safe: 1] ?? 0)
            return (top, left, bottom, right)
        }
    }
}

/// A square pooling window.
public struct PoolAttributes: Equatable, Sendable {
    public var kernel: Int
    public var stride: Int
    /// Symmetric padding, at most half the kernel.
    public var padding: Int
    /// Keep a last partial window (Caffe's rounding; PyTorch/ONNX ceil_mode).
    public var ceilMode: Bool
    /// Average pooling only: whether the divisor counts padding (ONNX count_include_pad).
    public var countIncludePad: Bool
    /// [top, left, bottom, right] when the sides differ (ONNX pads; Caffe-converted models pad
    /// only the end), replacing `padding`; nil: `padding` on every side.
    public var pads: [Int]?

    public init(kernel: Int, stride: Int, padding: Int = 0, ceilMode: Bool = false, countIncludePad: Bool = true,
                pads: [Int]? = nil) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        self.pads = pads
    }

    /// The padding of each side.
    public var sides: (top: Int, left: Int, bottom: Int, right: Int) {
        guard let pads, pads.count == 4 else { return (padding, padding, padding, padding) }
        return (pads[0], pads[1], pads[2], pads[3])
    }
}

/// The four elementwise arithmetic operators, for `LayerOp.constantArithmetic`.
public enum ArithmeticOperator: String, Equatable, Sendable {
    case add, subtract, multiply, divide

    /// "+", "−", "×", "/" in layer descriptions.
    var symbol: String {
        switch self {
        case .add: return "+"
        case .subtract: return "-"
        case .multiply: return "*"
        case .divide: return "/"
        }
    }

    /// left op right through the broadcasting tensor ops (each with its backward pass).
    func apply(_ left: Tensor, _ right: Tensor) throws -> Tensor {
        switch self {
        case .add: return try left + right
        case .subtract: return try left - right
        case .multiply: return try left * right
        case .divide: return try left / right
        }
    }
}
