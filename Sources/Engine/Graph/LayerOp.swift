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
    /// Average pooling counting padding in the divisor (ONNX count_include_pad = 1, PyTorch's default).
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
        case .convolution, .linear: return (["weight"], ["bias"])
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
        case .concat: return nil
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
        case .averagePool(let p): return "avgpool \(p.kernel)/\(p.stride)"
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

/// A square pooling window.
public struct PoolAttributes: Equatable, Sendable {
    public var kernel: Int
    public var stride: Int
    /// Symmetric padding, at most half the kernel.
    public var padding: Int
    /// Keep a last partial window (Caffe's rounding; PyTorch/ONNX ceil_mode).
    public var ceilMode: Bool

    public init(kernel: Int, stride: Int, padding: Int = 0, ceilMode: Bool = false) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.ceilMode = ceilMode
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
