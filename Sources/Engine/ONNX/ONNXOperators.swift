/// The ONNX operators ConvLens imports (https://onnx.ai/onnx/operators/), all of the default
/// "ai.onnx" domain, and the check that a model uses nothing else.
///
/// The list is a promise: each operator either runs in the engine (with its backward pass) or is
/// folded away at load time (`ONNXConstantFolding`). A model with any other operator is refused
/// before anything of it is built, so nothing is half-loaded.
public enum ONNXOperators {
    /// Operators that run as layers.
    public static let computed: [String] = [
        "Conv", "ConvTranspose",
        "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softmax", "LogSoftmax",
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
        "BatchNormalization", "InstanceNormalization", "LRN",
        "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "ReduceMean", "ReduceSum",
        "Concat", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Pad", "Resize", "Upsample",
        "Dropout", "Identity", "Sum",
    ]

    /// Operators that exist only to compute constants (shape arithmetic exporters emit, and
    /// weight quantization); `ONNXConstantFolding` replaces them by initializers.
    public static let folded: [String] = [
        "Constant", "Shape", "Gather", "Slice", "ConstantOfShape", "Cast", "QuantizeLinear", "DequantizeLinear",
    ]

    /// Every supported operator, in the order above.
    public static let supported: [String] = computed + folded

    private static let supportedSet = Set(supported)

    /// Whether `opType` of `domain` is supported ("" and "ai.onnx" both name the default domain).
    public static func isSupported(_ opType: String, domain: String = "") -> Bool {
        (domain.isEmpty || domain == "ai.onnx") && supportedSet.contains(opType)
    }

    /// Throws one `EngineError.unsupported` naming the file, the first unsupported node and its
    /// operator, how many other nodes are unsupported, and the supported list.
    static func requireSupported(_ nodes: [(node: ONNXNode, domain: String)], source: String) throws {
        let unsupported = nodes.filter { !isSupported($0.node.opType, domain: $0.domain) }
        guard let first = unsupported.first else { return }
        func qualified(_ entry: (node: ONNXNode, domain: String)) -> String {
            entry.domain.isEmpty || entry.domain == "ai.onnx" ? entry.node.opType : "\(entry.domain).\(entry.node.opType)"
        }
        var message = "\(source): operator \(qualified(first)) of node '\(first.node.name)' is not supported"
        if unsupported.count > 1 {
            var others: [String] = []
            for entry in unsupported.dropFirst() where !others.contains(qualified(entry)) { others.append(qualified(entry)) }
            message += " (\(unsupported.count - 1) more unsupported node\(unsupported.count == 2 ? "" : "s"): \(others.joined(separator: ", ")))"
        }
        message += ". ConvLens imports these ONNX operators (default domain): \(supported.joined(separator: ", "))"
        throw EngineError.unsupported(message)
    }
}
