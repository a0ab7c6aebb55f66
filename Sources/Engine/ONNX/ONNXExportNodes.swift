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
    /// `inputShapes` are the shapes of the node's inputs at batch 1 (for the ops whose ONNX form
    /// needs what the layer graph leaves implicit, such as instance norm's default scale).
    mutating func write(_ node: LayerNode, inputShapes: [[Int]] = []) throws {
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
        case .instanceNorm(let epsilon):
            // ONNX needs both; the layer graph defaults them to 1 and 0.
            let channels = node.parameters["scale"]?.count ?? node.parameters["bias"]?.count ?? inputShapes.first?[safe: 1]
            guard let channels else { throw EngineError.unsupported("instance norm without scale or bias needs its input's channel count") }
            let scale = try node.parameters["scale"] != nil ? parameter(node, "scale") : constant(name + ".scale", [Float](repeating: 1, count: channels))
            let bias = try node.parameters["bias"] != nil ? parameter(node, "bias") : constant(name + ".bias", [Float](repeating: 0, count: channels))
            add("InstanceNormalization", name, inputs: x + [scale, bias], attributes: [.float("epsilon", epsilon)], layer: layer)
        case .pad(let attributes):
            let pads = unique(name + ".pads"), fill = constant(name + ".value", [attributes.value], shape: [])
            initializers.append(.int64(pads, shape: [attributes.pads.count], values: attributes.pads))
            add("Pad", name, inputs: x + [pads, fill], attributes: [.string("mode", attributes.mode.rawValue)], layer: layer)
        case .resize(let attributes):
            try writeResize(attributes, node: node)
        case .power(let exponent):
            add("Pow", name, inputs: x + [constant(name + ".exponent", [exponent], shape: [])], layer: layer)
        case .sqrt: add("Sqrt", name, inputs: x, layer: layer)
        case .reduce(let attributes):
            let opType = attributes.operation == .mean ? "ReduceMean" : "ReduceSum"
            let keep = Onnx_AttributeProto.int("keepdims", attributes.keepDims ? 1 : 0)
            if attributes.operation == .mean {
                // Opset 17's ReduceMean takes its axes as an attribute (an input from opset 18), ReduceSum as an input (since 13).
                add(opType, name, inputs: x, attributes: [.ints("axes", attributes.axes), keep], layer: layer)
            } else {
                let axes = unique(name + ".axes")
                initializers.append(.int64(axes, shape: [attributes.axes.count], values: attributes.axes))
                add(opType, name, inputs: x + [axes], attributes: [keep], layer: layer)
            }
        }
    }

    /// ONNX Resize (opset 11 form): scales [1, 1, sh, sw], or for a fixed output size the sizes
    /// [N, C, H, W] built from the input's own N and C so that any batch runs.
    private mutating func writeResize(_ attributes: ResizeAttributes, node: LayerNode) throws {
        let name = node.name, layer = node.layerName, x = node.inputs
        let sampling = attributes.sampling
        var rounding = sampling.nearestRounding.rawValue
        if sampling.nearestRounding == .simple {
            // Upsample's rule: floor when enlarging, ceil when shrinking; Resize says it per model, not per axis.
            switch (attributes.scaleHeight >= 1, attributes.scaleWidth >= 1) {
            case (true, true): rounding = "floor"
            case (false, false): rounding = "ceil"
            default: throw EngineError.unsupported("an Upsample that enlarges one axis and shrinks the other has no Resize form")
            }
        }
        let resize: [Onnx_AttributeProto] = [
            .string("mode", sampling.mode.rawValue),
            .string("coordinate_transformation_mode", sampling.coordinateTransformation.rawValue),
            .string("nearest_mode", rounding),
        ]
        if let height = attributes.height, let width = attributes.width {
            let shape = unique(name + "_shape"), batchAndChannels = unique(name + "_nc"), sizes = unique(name + "_sizes")
            let start = unique(name + ".start"), end = unique(name + ".end"), spatial = unique(name + ".hw")
            initializers.append(.int64(start, shape: [1], values: [0]))
            initializers.append(.int64(end, shape: [1], values: [2]))
            initializers.append(.int64(spatial, shape: [2], values: [height, width]))
            add("Shape", shape, inputs: x, layer: layer)
            add("Slice", batchAndChannels, inputs: [shape, start, end], layer: layer)
            add("Concat", sizes, inputs: [batchAndChannels, spatial], attributes: [.int("axis", 0)], layer: layer)
            add("Resize", name, inputs: x + ["", "", sizes], attributes: resize, layer: layer)
        } else {
            let scales = constant(name + ".scales", [1, 1, Float(attributes.scaleHeight), Float(attributes.scaleWidth)])
            add("Resize", name, inputs: x + ["", scales], attributes: resize, layer: layer)
        }
    }

    /// A float initializer named after `base` (made unique); its value name.
    private mutating func constant(_ base: String, _ values: [Float], shape: [Int]? = nil) -> String {
        let name = unique(base)
        initializers.append(.float(name, shape: shape ?? [values.count], values: values))
        return name
    }

    private func poolAttributes(_ pool: PoolAttributes) -> [Onnx_AttributeProto] {
        [.ints("kernel_shape", [pool.kernel, pool.kernel]), .ints("strides", [pool.stride, pool.stride]),
         .ints("pads", pool.pads ?? [Int](repeating: pool.padding, count: 4)), .int("ceil_mode", pool.ceilMode ? 1 : 0)]
    }

    /// The scalar initializers 0 and 6, Clip's min and max inputs since opset 11.
    private mutating func relu6Bounds() -> [String] {
        if let clipBounds { return [clipBounds.low, clipBounds.high] }
        let bounds = (low: constant("relu6_min", [0], shape: []), high: constant("relu6_max", [6], shape: []))
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
