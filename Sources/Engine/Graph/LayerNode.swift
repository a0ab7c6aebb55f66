/// One node of a `LayerGraph`: a named op applied to the outputs of earlier nodes (or to the
/// graph input), with its learned tensors.
public struct LayerNode {
    /// Unique within the graph.
    public let name: String
    public var op: LayerOp
    /// Names of the nodes whose outputs this node reads, in the op's argument order;
    /// `LayerGraph.inputName` is the network input.
    public var inputs: [String]
    /// Learned tensors by the names `LayerOp` documents for the case ("weight", "bias", ...).
    public var parameters: [String: Tensor]
    /// The user-visible layer this node belongs to (a fire module, an MBConv block); nil: the
    /// node is a layer of its own. The last node of a label, in graph order, gives the
    /// layer's output.
    public var layer: String?

    public init(name: String, op: LayerOp, inputs: [String], parameters: [String: Tensor] = [:], layer: String? = nil) {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.parameters = parameters
        self.layer = layer
    }

    /// The layer name a user picks this node's group by.
    public var layerName: String { layer ?? name }

    /// Learned values held, as loaded (after folding).
    public var parameterCount: Int { parameters.values.reduce(0) { $0 + $1.count } }

    /// A convolution's kernel (kh, kw), from its weight.
    var kernelSize: (Int, Int)? {
        switch op {
        case .convolution, .convTranspose: break
        default: return nil
        }
        guard let weight = parameters["weight"], weight.rank == 4 else { return nil }
        return (weight.shape[2], weight.shape[3])
    }

    /// Output of the op for `inputs` (already resolved to tensors, in order). Errors come from
    /// the tensor ops; `GraphNetwork` adds the node's name.
    func apply(_ inputs: [Tensor]) throws -> Tensor {
        func only() throws -> Tensor {
            guard inputs.count == 1, let x = inputs.first else {
                throw EngineError.invalid("\(op.kind(kernel: kernelSize)) takes one input, got \(inputs.count)")
            }
            return x
        }
        func pair() throws -> (Tensor, Tensor) {
            guard inputs.count == 2 else {
                throw EngineError.invalid("\(op.kind(kernel: kernelSize)) takes two inputs, got \(inputs.count)")
            }
            return (inputs[0], inputs[1])
        }
        func parameter(_ key: String) throws -> Tensor {
            guard let tensor = parameters[key] else { throw EngineError.invalid("missing parameter '\(key)'") }
            return tensor
        }
        switch op {
        case .convolution(let a):
            return try only().conv2d(weight: try parameter("weight"), bias: parameters["bias"], stride: a.stride,
                                     padding: a.padding, dilation: a.dilation, groups: a.groups, activation: a.activation)
        case .batchNorm(let epsilon):
            return try only().batchNorm(mean: try parameter("mean"), variance: try parameter("variance"),
                                        gamma: try parameter("gamma"), beta: try parameter("beta"), eps: epsilon)
        case .relu: return try only().relu()
        case .relu6: return try only().relu6()
        case .leakyReLU(let slope): return try only().leakyReLU(slope: slope)
        case .sigmoid: return try only().sigmoid()
        case .tanh: return try only().tanh()
        case .hardSwish: return try only().hardSwish()
        case .hardSigmoid(let alpha, let beta): return try only().hardSigmoid(alpha: alpha, beta: beta)
        case .maxPool(let p):
            return try only().maxPool2d(kernel: p.kernel, stride: p.stride, ceilMode: p.ceilMode, pads: p.sides)
        case .averagePool(let p):
            return try only().avgPool2d(kernel: p.kernel, stride: p.stride, ceilMode: p.ceilMode,
                                        countIncludePad: p.countIncludePad, pads: p.sides)
        case .globalAveragePool: return try only().globalAvgPool()
        case .linear:
            let x = try only()
            guard x.rank == 2 else {
                throw EngineError.shapeMismatch("linear needs a [N, features] input, got \(x.shape) (flatten it first)")
            }
            return try x.linear(weight: try parameter("weight"), bias: parameters["bias"])
        case .add:
            let (a, b) = try pair()
            return try a + b
        case .mul:
            let (a, b) = try pair()
            return try a * b
        case .sub:
            let (a, b) = try pair()
            return try a - b
        case .div:
            let (a, b) = try pair()
            return try a / b
        case .constantArithmetic(let op, let constantFirst):
            let (x, constant) = (try only(), try parameter("constant"))
            return constantFirst ? try op.apply(constant, x) : try op.apply(x, constant)
        case .transpose(let permutation): return try only().transposed(permutation)
        case .concat(let axis):
            guard !inputs.isEmpty else { throw EngineError.invalid("concat takes at least one input") }
            return inputs.count == 1 ? inputs[0] : try Tensor.concat(inputs, axis: axis)
        case .flatten: return try only().flatten()
        case .reshape(let shape):
            let x = try only()
            return try x.reshape([x.shape.first ?? 1] + shape)
        case .softmax(let axis): return try only().softmax(axis: axis)
        case .dropout, .identity: return try only()
        case .convTranspose, .prelu, .logSoftmax, .globalMaxPool, .localResponseNormalization, .matMul, .sum, .coercedSoftmax:
            return try applyClassic(inputs)
        case .instanceNorm, .pad, .resize, .power, .sqrt, .reduce: return try applyStyleNetworkOp(try only())
        }
    }
}
