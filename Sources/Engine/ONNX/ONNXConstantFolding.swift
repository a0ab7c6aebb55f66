/// An ONNX model after constant folding: only operators that compute on the input remain.
public struct ONNXFoldedModel: Equatable, Sendable {
    /// The folded model: its nodes use only `ONNXOperators.computed`; folded values are
    /// initializers (unused initializers are dropped); inputs carry the static shapes folding used.
    /// A graph output that does not depend on any input names an initializer.
    public var model: ONNXModel
    /// The static shape of every value known at load time: inputs, initializers and the
    /// outputs of every remaining node whose input shapes were known.
    public var shapes: [String: [Int]]
    /// Names of the nodes folded away, in graph order.
    public var foldedNodes: [String]
}

/// Folds the shape arithmetic exporters emit, and weight quantization, into initializers.
///
/// torch.onnx writes `x.view(x.size(0), -1)` as Shape -> Gather -> Unsqueeze -> Concat ->
/// Reshape; Resize targets come from Shape -> Slice -> Concat; Constant nodes hold scalars;
/// quantized models store int8 weights behind DequantizeLinear. Given the static shape of each
/// input, all of these are constants, and folding them leaves a graph of layers with constant
/// parameters. See https://onnx.ai/onnx/operators/ for each operator's definition.
public enum ONNXConstantFolding {
    /// Inputs of computed operators the engine needs as constants (Reshape's shape, Pad's
    /// pads, Resize's scales or sizes, axes, Clip's bounds, Dropout's ratio), by position.
    static let constantInputs: [String: [Int]] = [
        "Reshape": [1], "Pad": [1, 2, 3], "Resize": [1, 2, 3], "Upsample": [1], "Squeeze": [1], "Unsqueeze": [1],
        "ReduceMean": [1], "ReduceSum": [1], "Clip": [1, 2], "Dropout": [1, 2],
    ]

    /// Folds `model` for inputs of the given shapes.
    ///
    /// `inputShapes` gives the size of inputs whose declared shape has symbolic dimensions
    /// (such as "batch_size"); declared fixed dimensions must agree with it. An input left
    /// without a static shape is fine unless something needs its shape (a `Shape` node).
    /// Throws, naming the file and the node: when a folded-only operator (Gather, Slice,
    /// ConstantOfShape, integer Cast, QuantizeLinear, DequantizeLinear) computes on a
    /// non-constant value, when a `Shape` needs an unknown shape, when a computed operator's
    /// parameter input (e.g. Reshape's shape) is not constant after folding, or when an
    /// operator's shapes do not agree.
    public static func fold(_ model: ONNXModel, inputShapes: [String: [Int]] = [:]) throws -> ONNXFoldedModel {
        try model.namingFile {
            var folding = Folding(model: model)
            return try folding.run(inputShapes: inputShapes)
        }
    }

    private struct Folding {
        let model: ONNXModel
        var constants: [String: ONNXTensor]
        var shapes: [String: [Int]] = [:]
        var created: [String] = []

        init(model: ONNXModel) {
            self.model = model
            self.constants = model.initializers
        }

        mutating func run(inputShapes: [String: [Int]]) throws -> ONNXFoldedModel {
            let source = model.source
            let unknown = Set(inputShapes.keys).subtracting(model.inputs.map(\.name))
            guard unknown.isEmpty else {
                throw EngineError.invalid("\(source): the model has no input named \(unknown.sorted().map { "'\($0)'" }.joined(separator: ", ")); its inputs are \(model.inputs.map(\.summary).joined(separator: "; "))")
            }
            var inputs = model.inputs
            for index in inputs.indices {
                if let shape = try inputShape(inputs[index], given: inputShapes[inputs[index].name]) {
                    shapes[inputs[index].name] = shape
                    inputs[index].shape = shape.map { .fixed($0) }
                }
            }
            for (name, tensor) in constants { shapes[name] = tensor.dims }

            var kept: [ONNXNode] = [], folded: [String] = []
            for (index, node) in model.nodes.enumerated() {
                if index % 64 == 0 { try Cancellation.check() }
                if let results = try fold(node) {
                    for (output, tensor) in zip(node.outputs, results) where !output.isEmpty {
                        constants[output] = tensor
                        shapes[output] = tensor.dims
                        created.append(output)
                    }
                    folded.append(node.name)
                } else {
                    let node = try computed(node)
                    let inputShapes = node.inputs.map { $0.isEmpty ? nil : shapes[$0] }
                    let inputConstants = node.inputs.map { $0.isEmpty ? nil : constants[$0] }
                    let outputShapes = try ONNXShapeInference.outputShapes(node, shapes: inputShapes, constants: inputConstants)
                    for (output, shape) in zip(node.outputs, outputShapes) where !output.isEmpty {
                        if let shape { shapes[output] = shape }
                    }
                    kept.append(node)
                }
            }
            for node in kept {
                for index in ONNXConstantFolding.constantInputs[node.opType] ?? [] {
                    if let name = node.input(index), constants[name] == nil {
                        throw EngineError.unsupported("\(source): \(node.label) takes '\(name)' (input \(index)) from a computation on the network's input; ConvLens needs it to be a constant at load time")
                    }
                }
            }

            // Keep the initializers something still reads, file order first, then folded ones.
            var used = Set(kept.flatMap(\.inputs))
            used.formUnion(model.outputs.map(\.name))
            var order: [String] = []
            for name in model.initializerNames + created where used.contains(name) && !order.contains(name) { order.append(name) }
            let initializers = order.compactMap { name in constants[name].map { (name, $0) } }
            let folded_ = ONNXModel(source: source, irVersion: model.irVersion, opsetVersion: model.opsetVersion,
                                    producer: model.producer, graphName: model.graphName, inputs: inputs, outputs: model.outputs,
                                    initializers: initializers, nodes: kept, metadata: model.metadata)
            return ONNXFoldedModel(model: folded_, shapes: shapes, foldedNodes: folded)
        }

        /// The static shape of an input: the given one (checked against the declaration) or the declared one.
        private func inputShape(_ input: ONNXValueInfo, given: [Int]?) throws -> [Int]? {
            guard let given else { return input.staticShape }
            if let declared = input.shape {
                let agrees = declared.count == given.count && zip(declared, given).allSatisfy { dimension, size in
                    if case .fixed(let fixed) = dimension { return fixed == size }
                    return true
                }
                guard agrees else {
                    throw EngineError.shapeMismatch("\(model.source): input '\(input.name)' is declared \(input.summary), which a shape of \(given) does not fit")
                }
            }
            guard given.allSatisfy({ $0 >= 1 }), let count = CheckedArithmetic.product(given), count <= ONNXTensorDecoding.maximumElements else {
                throw EngineError.invalid("\(model.source): input shape \(given) for '\(input.name)' must have positive sizes and at most \(ONNXTensorDecoding.maximumElements) elements")
            }
            return given
        }

        /// The node's constant outputs, or nil when it stays in the graph.
        private func fold(_ node: ONNXNode) throws -> [ONNXTensor]? {
            let inputs = node.inputs.map { $0.isEmpty ? nil : constants[$0] }
            if node.opType == "Shape", let data = node.input(0) {
                guard let shape = shapes[data] else {
                    let unknown = model.inputs.filter { shapes[$0.name] == nil }.map(\.summary)
                    throw EngineError.unsupported("\(model.source): \(node.label) needs the shape of '\(data)', which depends on input sizes not given (\(unknown.joined(separator: "; "))); pass the input's static shape")
                }
                let range = try ONNXShapeInference.shapeRange(node, rank: shape.count)
                return [try ONNXTensor(dims: [range.count], integers: shape[range].map { Int64($0) })]
            }
            let allConstant = zip(node.inputs, inputs).allSatisfy { name, tensor in name.isEmpty || tensor != nil }
            guard allConstant, ONNXConstantEvaluation.evaluable.contains(node.opType),
                  let results = try ONNXConstantEvaluation.evaluate(node, inputs: inputs) else { return nil }
            // Dropout's mask (or any second output) is not computed; keep the node if it is wanted.
            guard node.outputs.filter({ !$0.isEmpty }).count <= results.count || node.outputs.dropFirst().allSatisfy({ !isUsed($0) }) else { return nil }
            return results
        }

        private func isUsed(_ name: String) -> Bool {
            !name.isEmpty && (model.nodes.contains { $0.inputs.contains(name) } || model.outputs.contains { $0.name == name })
        }

        /// A node that could not be folded, as the engine will run it; refuses the folded-only
        /// operators, which have no engine implementation.
        private func computed(_ node: ONNXNode) throws -> ONNXNode {
            let source = model.source
            switch node.opType {
            case _ where ONNXOperators.computed.contains(node.opType):
                return node
            case "Cast":
                // The engine computes in Float32: a cast between floating-point types is a no-op for it.
                if let code = try node.int("to"), ONNXElementType(rawValue: code)?.isFloatingPoint == true {
                    return ONNXNode(name: node.name, opType: "Identity", inputs: Array(node.inputs.prefix(1)), outputs: node.outputs)
                }
            case "QuantizeLinear", "DequantizeLinear":
                throw EngineError.unsupported("\(source): \(node.label) quantizes values computed from the input (activation quantization); ConvLens dequantizes weights at load time only, so export the model without activation quantization")
            default:
                break
            }
            let computedInputs = node.inputs.filter { !$0.isEmpty && constants[$0] == nil }
            throw EngineError.unsupported("\(source): \(node.label) computes on \(computedInputs.map { "'\($0)'" }.joined(separator: ", ")), which \(computedInputs.count == 1 ? "is" : "are") not constant; ConvLens supports \(node.opType) only as shape arithmetic or weight preparation folded at load time (\(ONNXOperators.folded.joined(separator: ", ")))")
        }
    }
}
