import Foundation

/// Builds the nodes and initializers of an exported ONNX graph, one layer-graph node at a
/// time, following each operator's definition at https://onnx.ai/onnx/operators/ for opset 17.
///
/// Value names: a node's output is its own name, the graph input is `LayerGraph.inputName`,
/// parameters are "node.parameter". Names the writer makes up (the Conv before a fused
/// activation, Clip bounds, Reshape targets) are made unique against all of those.
struct ONNXGraphWriter {
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    /// The layer of each ONNX node (by name), for `ONNXExportMetadata`.
    private(set) var layers: [String: String] = [:]
    /// Every value and node name in use.
    private var used: Set<String>
    /// The shared Clip(0, 6) bounds, once written.
    private var clipBounds: (low: String, high: String)?

    init(graph: LayerGraph) {
        used = Set(graph.nodes.map(\.name)).union([LayerGraph.inputName])
    }

    /// Writes `node` (its inputs already written). Every `LayerOp` case is spelled out, with no
    /// `default`, so that a new case does not compile until it has its ONNX form here.
    /// Throws `EngineError.unsupported` for what ONNX cannot say the same way (a reshape to a
    /// zero-size axis, which ONNX Reshape reads as "copy"), `.invalid` for a missing parameter.
    mutating func write(_ node: LayerNode) throws {
        let x = node.inputs
        let name = node.name
        let layer = node.layerName
        switch node.op {
        case .convolution(let attributes):
            guard let weight = node.parameters["weight"], weight.rank == 4 else {
                throw EngineError.unsupported("a convolution needs a 4-D weight [Cout, Cin/groups, kh, kw], has \(node.parameters["weight"]?.shape ?? [])")
            }
            var inputs = x + [try parameter(node, "weight")]
            if node.parameters["bias"] != nil { inputs.append(try parameter(node, "bias")) }
            var conv: [Onnx_AttributeProto] = [
                .ints("kernel_shape", [weight.shape[2], weight.shape[3]]),
                .ints("strides", [attributes.stride, attributes.stride]),
                .ints("dilations", [attributes.dilation, attributes.dilation]),
                .int("group", attributes.groups),
            ]
            switch attributes.padding {
            case let .explicit(top, left, bottom, right): conv.append(.ints("pads", [top, left, bottom, right])) // begins, then ends
            case .same: conv.append(.string("auto_pad", "SAME_UPPER")) // TensorFlow SAME: the odd row at the end
            }
            switch attributes.activation {
            case .none:
                add("Conv", name, inputs: inputs, attributes: conv, layer: layer)
            case .relu, .relu6:
                // The convolution keeps the node's layer, so re-importing and folding fuses them again.
                let pre = unique(name + "_conv")
                add("Conv", pre, inputs: inputs, attributes: conv, layer: layer)
                if attributes.activation == .relu {
                    add("Relu", name, inputs: [pre], layer: layer)
                } else {
                    add("Clip", name, inputs: [pre] + relu6Bounds(), layer: layer)
                }
            }
        case .batchNorm(let epsilon):
            let statistics = try ["gamma", "beta", "mean", "variance"].map { try parameter(node, $0) }
            add("BatchNormalization", name, inputs: x + statistics, attributes: [.float("epsilon", epsilon)], layer: layer)
        case .relu: add("Relu", name, inputs: x, layer: layer)
        case .relu6: add("Clip", name, inputs: x + relu6Bounds(), layer: layer)
        case .leakyReLU(let slope): add("LeakyRelu", name, inputs: x, attributes: [.float("alpha", slope)], layer: layer)
        case .sigmoid: add("Sigmoid", name, inputs: x, layer: layer)
        case .tanh: add("Tanh", name, inputs: x, layer: layer)
        case .hardSwish: add("HardSwish", name, inputs: x, layer: layer)
        case .hardSigmoid(let alpha, let beta):
            add("HardSigmoid", name, inputs: x, attributes: [.float("alpha", alpha), .float("beta", beta)], layer: layer)
        case .maxPool(let pool):
            add("MaxPool", name, inputs: x, attributes: poolAttributes(pool), layer: layer)
        case .averagePool(let pool):
            add("AveragePool", name, inputs: x, attributes: poolAttributes(pool) + [.int("count_include_pad", pool.countIncludePad ? 1 : 0)],
                layer: layer)
        case .globalAveragePool: add("GlobalAveragePool", name, inputs: x, layer: layer)
        case .linear:
            // Gemm with transB 1: y = x Wᵀ + b, W [out, in] as the layer stores it.
            var inputs = x + [try parameter(node, "weight")]
            if node.parameters["bias"] != nil { inputs.append(try parameter(node, "bias")) }
            add("Gemm", name, inputs: inputs, attributes: [.int("transB", 1)], layer: layer)
        case .add: add("Add", name, inputs: x, layer: layer)
        case .mul: add("Mul", name, inputs: x, layer: layer)
        case .sub: add("Sub", name, inputs: x, layer: layer)
        case .div: add("Div", name, inputs: x, layer: layer)
        case .constantArithmetic(let op, let constantFirst):
            let constant = try parameter(node, "constant")
            let opType: String
            switch op {
            case .add: opType = "Add"
            case .subtract: opType = "Sub"
            case .multiply: opType = "Mul"
            case .divide: opType = "Div"
            }
            add(opType, name, inputs: constantFirst ? [constant] + x : x + [constant], layer: layer)
        case .transpose(let permutation): add("Transpose", name, inputs: x, attributes: [.ints("perm", permutation)], layer: layer)
        case .concat(let axis): add("Concat", name, inputs: x, attributes: [.int("axis", axis)], layer: layer)
        case .flatten: add("Flatten", name, inputs: x, attributes: [.int("axis", 1)], layer: layer)
        case .reshape(let shape):
            guard !shape.contains(0) else {
                throw EngineError.unsupported("a reshape to \(shape) cannot be written: ONNX Reshape reads 0 as 'copy this axis'")
            }
            // 0 first: the batch axis is copied, so any batch size runs.
            let target = unique(name + ".shape")
            initializers.append(.int64(target, shape: [shape.count + 1], values: [0] + shape))
            add("Reshape", name, inputs: x + [target], layer: layer)
        case .softmax(let axis): add("Softmax", name, inputs: x, attributes: [.int("axis", axis)], layer: layer)
        case .dropout(let ratio):
            let ratioName = unique(name + ".ratio")
            initializers.append(.float(ratioName, shape: [], values: [ratio]))
            add("Dropout", name, inputs: x + [ratioName], layer: layer)
        case .identity: add("Identity", name, inputs: x, layer: layer)
        case .convTranspose(let attributes):
            guard let weight = node.parameters["weight"], weight.rank == 4 else {
                throw EngineError.unsupported("a transposed convolution needs a 4-D weight [Cin, Cout/groups, kh, kw], has \(node.parameters["weight"]?.shape ?? [])")
            }
            var inputs = x + [try parameter(node, "weight")]
            if node.parameters["bias"] != nil { inputs.append(try parameter(node, "bias")) }
            var transpose: [Onnx_AttributeProto] = [
                .ints("kernel_shape", [weight.shape[2], weight.shape[3]]),
                .ints("strides", [attributes.stride, attributes.stride]),
                .ints("dilations", [attributes.dilation, attributes.dilation]),
                .int("group", attributes.groups),
                .ints("output_padding", attributes.outputPadding),
            ]
            switch attributes.padding {
            case let .explicit(top, left, bottom, right): transpose.append(.ints("pads", [top, left, bottom, right]))
            case .same(let upper): transpose.append(.string("auto_pad", upper ? "SAME_UPPER" : "SAME_LOWER"))
            }
            add("ConvTranspose", name, inputs: inputs, attributes: transpose, layer: layer)
        case .prelu: add("PRelu", name, inputs: x + [try parameter(node, "slope")], layer: layer)
        case .logSoftmax(let axis): add("LogSoftmax", name, inputs: x, attributes: [.int("axis", axis)], layer: layer)
        case .globalMaxPool: add("GlobalMaxPool", name, inputs: x, layer: layer)
        case .localResponseNormalization(let size, let alpha, let beta, let bias):
            add("LRN", name, inputs: x, attributes: [.int("size", size), .float("alpha", alpha), .float("beta", beta), .float("bias", bias)],
                layer: layer)
        case .matMul(let constantFirst):
            let weight = try parameter(node, "weight")
            add("MatMul", name, inputs: constantFirst ? [weight] + x : x + [weight], layer: layer)
        case .sum: add("Sum", name, inputs: x, layer: layer)
        case .coercedSoftmax(let axis, let log):
            // Softmax before opset 13 over axes axis... taken as one: Flatten there, normalise the
            // last axis, and give the values their shape back.
            let shape = unique(name + "_shape"), flat = unique(name + "_flat"), normalised = unique(name + "_normalised")
            add("Shape", shape, inputs: x, layer: layer)
            add("Flatten", flat, inputs: x, attributes: [.int("axis", axis)], layer: layer)
            add(log ? "LogSoftmax" : "Softmax", normalised, inputs: [flat], attributes: [.int("axis", -1)], layer: layer)
            add("Reshape", name, inputs: [normalised, shape], layer: layer)
        }
    }

    private func poolAttributes(_ pool: PoolAttributes) -> [Onnx_AttributeProto] {
        [.ints("kernel_shape", [pool.kernel, pool.kernel]), .ints("strides", [pool.stride, pool.stride]),
         .ints("pads", pool.pads ?? [Int](repeating: pool.padding, count: 4)), .int("ceil_mode", pool.ceilMode ? 1 : 0)]
    }

    /// The scalar initializers 0 and 6, Clip's min and max inputs since opset 11.
    private mutating func relu6Bounds() -> [String] {
        if let clipBounds { return [clipBounds.low, clipBounds.high] }
        let bounds = (low: unique("relu6_min"), high: unique("relu6_max"))
        initializers.append(.float(bounds.low, shape: [], values: [0]))
        initializers.append(.float(bounds.high, shape: [], values: [6]))
        clipBounds = bounds
        return [bounds.low, bounds.high]
    }

    /// Writes parameter `key` of `node` as an initializer and returns its value name.
    private mutating func parameter(_ node: LayerNode, _ key: String) throws -> String {
        guard let tensor = node.parameters[key] else { throw EngineError.invalid("missing parameter '\(key)'") }
        let name = unique("\(node.name).\(key)")
        initializers.append(.float(name, shape: tensor.shape, values: tensor.data))
        return name
    }

    private mutating func add(_ opType: String, _ name: String, inputs: [String], attributes: [Onnx_AttributeProto] = [], layer: String) {
        var proto = Onnx_NodeProto()
        proto.name = name
        proto.opType = opType
        proto.input = inputs
        proto.output = [name]
        proto.attribute = attributes
        nodes.append(proto)
        layers[name] = layer
    }

    /// `base`, or `base_2`, `base_3`... when taken; the result is taken from then on.
    private mutating func unique(_ base: String) -> String {
        var name = base, suffix = 2
        while used.contains(name) {
            name = "\(base)_\(suffix)"
            suffix += 1
        }
        used.insert(name)
        return name
    }
}

extension Onnx_AttributeProto {
    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .int
        attribute.i = Int64(value)
        return attribute
    }

    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = values.map(Int64.init)
        return attribute
    }

    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .float
        attribute.f = value
        return attribute
    }

    static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .string
        attribute.s = Data(value.utf8)
        return attribute
    }
}

extension Onnx_TensorProto {
    /// A float32 tensor in `raw_data`, little-endian as onnx.proto requires (the platforms Swift
    /// builds ConvLens for are all little-endian, so the bytes are the values' own).
    static func float(_ name: String, shape: [Int], values: [Float]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32(DataType.float.rawValue)
        tensor.rawData = values.withUnsafeBytes { Data($0) }
        return tensor
    }

    static func int64(_ name: String, shape: [Int], values: [Int]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32(DataType.int64.rawValue)
        tensor.rawData = values.map { Int64($0).littleEndian }.withUnsafeBytes { Data($0) }
        return tensor
    }
}
