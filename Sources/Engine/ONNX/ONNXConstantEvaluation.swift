import Foundation

/// Evaluates one node whose inputs are all constants, for constant folding, following the
/// operator definitions at https://onnx.ai/onnx/operators/. Only the operators exporters
/// use for shape arithmetic and weight preparation are evaluated; the others return nil and
/// stay in the graph.
enum ONNXConstantEvaluation {
    /// Operators evaluated when all their inputs are constant.
    static let evaluable: Set<String> = [
        "Constant", "Identity", "Dropout", "Shape", "Gather", "Slice", "Concat", "ConstantOfShape", "Cast",
        "Unsqueeze", "Squeeze", "Reshape", "Flatten", "Transpose", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt",
        "QuantizeLinear", "DequantizeLinear",
        "ReduceSum", "ReduceMean",
    ]

    /// The node's outputs, or nil when it is not evaluable. `inputs` are the constant inputs
    /// (nil for omitted optional ones).
    static func evaluate(_ node: ONNXNode, inputs: [ONNXTensor?]) throws -> [ONNXTensor]? {
        func input(_ index: Int) throws -> ONNXTensor {
            guard index < inputs.count, let tensor = inputs[index] else {
                throw EngineError.format("\(node.label): input \(index) is missing")
            }
            return tensor
        }
        switch node.opType {
        case "Constant": return [try constant(node)]
        case "Identity", "Dropout": return [try input(0)]
        case "Gather": return [try gather(node, try input(0), try input(1))]
        case "Slice":
            let data = try input(0)
            let parameters = try ONNXShapeInference.sliceParameters(
                node, shape: data.dims, starts: try integers(node, try input(1), "starts"), ends: try integers(node, try input(2), "ends"),
                axes: try (inputs[safe: 3] ?? nil).map { try integers(node, $0, "axes") },
                steps: try (inputs[safe: 4] ?? nil).map { try integers(node, $0, "steps") })
            return [try slice(node, data, parameters)]
        case "Concat": return [try concat(node, try inputs.prefix(node.inputs.count).map { try $0.orThrow(node) })]
        case "ConstantOfShape":
            let dims = try ONNXShapeInference.outputShapes(node, shapes: [], constants: [try input(0)])[0] ?? []
            let fill = try node.tensor("value") ?? ONNXTensor(dims: [1], floats: [0])
            guard fill.count == 1 else { throw EngineError.format("\(node.label): value must hold one element, it holds \(fill.count)") }
            let count = try ONNXShapeMath.count(dims, node)
            return [try fill.picking([Int](repeating: 0, count: count), dims: dims)]
        case "Cast":
            guard let code = try node.int("to"), let type = ONNXElementType(rawValue: code) else {
                throw EngineError.unsupported("\(node.label): Cast to \(ONNXElementType.name(ofCode: try node.int("to") ?? 0)) is not supported")
            }
            return [try cast(node, try input(0), to: type)]
        case "Unsqueeze", "Squeeze", "Reshape", "Flatten":
            let data = try input(0)
            let constants = node.inputs.indices.map { inputs[safe: $0] ?? nil }
            guard let dims = try ONNXShapeInference.outputShapes(node, shapes: [data.dims], constants: constants)[0] else {
                throw EngineError.format("\(node.label): the output shape cannot be computed")
            }
            return [try data.reshaped(dims)]
        case "Transpose":
            let data = try input(0)
            let perm = try node.ints("perm") ?? Array(data.dims.indices.reversed())
            guard let dims = try ONNXShapeInference.outputShapes(node, shapes: [data.dims], constants: [])[0] else { return nil }
            let strides = ONNXShapeMath.strides(data.dims)
            let parameters = ONNXShapeInference.SliceParameters(shape: dims, starts: [Int](repeating: 0, count: dims.count), steps: [Int](repeating: 1, count: dims.count))
            return [try data.picking(walk(parameters, strides: perm.map { strides[$0] }, base: 0), dims: dims)]
        case "Add", "Sub", "Mul", "Div", "Pow": return [try arithmetic(node, try input(0), try input(1))]
        case "Sqrt":
            let x = try input(0)
            return [try ONNXTensor(elementType: x.elementType.isFloatingPoint ? x.elementType : .float, dims: x.dims, values: .floats(x.floats.map { $0.squareRoot() }))]
        case "QuantizeLinear": return [try ONNXQuantization.quantize(node, inputs: inputs)]
        case "DequantizeLinear": return [try ONNXQuantization.dequantize(node, inputs: inputs)]
        case "ReduceSum", "ReduceMean": return try reduce(node, try input(0), axesInput: inputs[safe: 1] ?? nil).map { [$0] }
        default: return nil
        }
    }

    static func integers(_ node: ONNXNode, _ tensor: ONNXTensor, _ what: String) throws -> [Int64] {
        guard let values = tensor.integers else { throw EngineError.format("\(node.label): \(what) must be integers, got \(tensor.elementType)") }
        return values
    }

    /// Constant's value, from whichever of its attributes is set (opset 11 added the typed ones).
    private static func constant(_ node: ONNXNode) throws -> ONNXTensor {
        if let tensor = try node.tensor("value") { return tensor }
        if let value = try node.float("value_float") { return try ONNXTensor(dims: [], floats: [value]) }
        if let values = try node.floats("value_floats") { return try ONNXTensor(dims: [values.count], floats: values) }
        if case .int(let value)? = node.attributes["value_int"] { return try ONNXTensor(dims: [], integers: [value]) }
        if case .ints(let values)? = node.attributes["value_ints"] { return try ONNXTensor(dims: [values.count], integers: values) }
        throw EngineError.unsupported("\(node.label): Constant needs a numeric value (value, value_float(s) or value_int(s)); attributes given: \(node.attributes.keys.sorted())")
    }

    private static func gather(_ node: ONNXNode, _ data: ONNXTensor, _ indices: ONNXTensor) throws -> ONNXTensor {
        let axis = try ONNXShapeMath.axis(try node.int("axis", default: 0), rank: data.dims.count, node)
        let size = data.dims[axis]
        let picks = try integers(node, indices, "indices").map { index -> Int in
            guard index >= -Int64(size), index < Int64(size) else { throw EngineError.format("\(node.label): index \(index) is outside axis \(axis) of size \(size)") }
            return Int(index < 0 ? index + Int64(size) : index)
        }
        let outer = data.dims[..<axis].reduce(1, *), inner = data.dims[(axis + 1)...].reduce(1, *)
        let dims = Array(data.dims[..<axis]) + indices.dims + Array(data.dims[(axis + 1)...])
        _ = try ONNXShapeMath.count(dims, node)
        var flat: [Int] = []
        for o in 0..<outer { for pick in picks { for i in 0..<inner { flat.append((o * size + pick) * inner + i) } } }
        return try data.picking(flat, dims: dims)
    }

    private static func slice(_ node: ONNXNode, _ data: ONNXTensor, _ parameters: ONNXShapeInference.SliceParameters) throws -> ONNXTensor {
        let strides = ONNXShapeMath.strides(data.dims)
        let base = zip(parameters.starts, strides).reduce(0) { $0 + $1.0 * $1.1 }
        return try data.picking(walk(parameters, strides: zip(parameters.steps, strides).map { $0 * $1 }, base: base), dims: parameters.shape)
    }

    /// Flat source indices visiting `parameters.shape` row-major, one source stride per axis.
    private static func walk(_ parameters: ONNXShapeInference.SliceParameters, strides: [Int], base: Int) -> [Int] {
        StridedWalk.offsets(shape: parameters.shape, strides: strides, base: base)
    }

    private static func concat(_ node: ONNXNode, _ parts: [ONNXTensor]) throws -> ONNXTensor {
        guard let first = parts.first else { throw EngineError.format("\(node.label): Concat of nothing") }
        guard let dims = try ONNXShapeInference.outputShapes(node, shapes: parts.map { $0.dims }, constants: [])[0] else {
            throw EngineError.format("\(node.label): the output shape cannot be computed")
        }
        let axis = try ONNXShapeMath.axis(try node.int("axis") ?? 0, rank: first.dims.count, node)
        let outer = first.dims[..<axis].reduce(1, *)
        let floating = parts.contains { $0.elementType.isFloatingPoint }
        var floats: [Float] = [], integers: [Int64] = []
        // Each part's values converted once, not once per outer index.
        let partFloats = floating ? parts.map(\.floats) : []
        let partIntegers = floating ? [] : parts.map { $0.integers ?? [] }
        for o in 0..<outer {
            for (index, part) in parts.enumerated() {
                let block = part.dims[axis...].reduce(1, *)
                let range = (o * block)..<((o + 1) * block)
                if floating { floats += partFloats[index][range] } else { integers += partIntegers[index][range] }
            }
        }
        let type = floating ? (parts.first { $0.elementType.isFloatingPoint }?.elementType ?? .float) : first.elementType
        return try ONNXTensor(elementType: type, dims: dims, values: floating ? .floats(floats) : .integers(integers))
    }

    private static func cast(_ node: ONNXNode, _ x: ONNXTensor, to type: ONNXElementType) throws -> ONNXTensor {
        if type.isFloatingPoint {
            var floats = x.floats
            if type == .float16 { floats = floats.map(ONNXTensorDecoding.roundedToHalf) }
            if type == .bfloat16 { floats = floats.map { Float(bitPattern: roundedBFloat16Bits($0)) } }
            return try ONNXTensor(elementType: type, dims: x.dims, values: .floats(floats))
        }
        let integers: [Int64]
        switch x.values {
        case .integers(let values): integers = values
        case .floats(let values):
            integers = try values.map { value in
                if type == .bool { return value != 0 ? 1 : 0 }
                // Float to integer truncates toward zero, as C and onnxruntime do.
                guard let exact = Int64(exactly: value.rounded(.towardZero)) else {
                    throw EngineError.invalid("\(node.label): cannot cast \(value) to \(type)")
                }
                return exact
            }
        }
        // Narrowing wraps like a C cast; bool keeps only zero or not.
        let wrapped = integers.map { value -> Int64 in
            switch type {
            case .bool: return value != 0 ? 1 : 0
            case .int8: return Int64(Int8(truncatingIfNeeded: value))
            case .uint8: return Int64(UInt8(truncatingIfNeeded: value))
            case .int16: return Int64(Int16(truncatingIfNeeded: value))
            case .uint16: return Int64(UInt16(truncatingIfNeeded: value))
            case .int32: return Int64(Int32(truncatingIfNeeded: value))
            case .uint32: return Int64(UInt32(truncatingIfNeeded: value))
            default: return value
            }
        }
        return try ONNXTensor(elementType: type, dims: x.dims, values: .integers(wrapped))
    }

    private static func roundedBFloat16Bits(_ value: Float) -> UInt32 {
        guard value.isFinite else { return value.bitPattern & 0xFFFF_0000 | (value.isNaN ? 0x0040_0000 : 0) }
        let bits = value.bitPattern
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return (bits &+ rounding) & 0xFFFF_0000
    }

    /// Add, Sub, Mul, Div and Pow with broadcasting; integers stay exact (overflow and
    /// division by zero are errors), floats compute in Double and round once to Float.
    private static func arithmetic(_ node: ONNXNode, _ a: ONNXTensor, _ b: ONNXTensor) throws -> ONNXTensor {
        let dims = try ONNXShapeMath.broadcast(a.dims, b.dims, node)
        _ = try ONNXShapeMath.count(dims, node)
        let left = ONNXShapeMath.broadcastIndices(from: a.dims, to: dims), right = ONNXShapeMath.broadcastIndices(from: b.dims, to: dims)
        let op = node.opType
        if let x = a.integers, let y = b.integers, op != "Pow" || y.allSatisfy({ $0 >= 0 }) {
            let values = try zip(left, right).map { i, j -> Int64 in
                let (p, q) = (x[i], y[j])
                let result: (Int64, Bool)
                switch op {
                case "Add": result = p.addingReportingOverflow(q)
                case "Sub": result = p.subtractingReportingOverflow(q)
                case "Mul": result = p.multipliedReportingOverflow(by: q)
                case "Div":
                    guard q != 0 else { throw EngineError.invalid("\(node.label): integer division by zero") }
                    result = p.dividedReportingOverflow(by: q)
                default:
                    var power: Int64 = 1, overflow = false
                    for _ in 0..<min(q, 64) where !overflow { (power, overflow) = power.multipliedReportingOverflow(by: p) }
                    if q > 64 && p.magnitude > 1 { overflow = true }
                    if q > 64 && p == -1 { power = q % 2 == 0 ? 1 : -1 }
                    result = (power, overflow)
                }
                guard !result.1 else { throw EngineError.invalid("\(node.label): \(op) of \(p) and \(q) overflows int64") }
                return result.0
            }
            return try ONNXTensor(elementType: a.elementType, dims: dims, values: .integers(values))
        }
        let x = a.doubles, y = b.doubles
        let values = zip(left, right).map { i, j -> Float in
            let (p, q) = (x[i], y[j])
            switch op {
            case "Add": return Float(p + q)
            case "Sub": return Float(p - q)
            case "Mul": return Float(p * q)
            case "Div": return Float(p / q)
            default: return Float(Foundation.pow(p, q))
            }
        }
        // Pow keeps its base's type (an integer base with a negative or fractional exponent
        // truncates); the others take whichever operand is floating point.
        if op == "Pow" && !a.elementType.isFloatingPoint {
            return try cast(node, try ONNXTensor(elementType: .float, dims: dims, values: .floats(values)), to: a.elementType)
        }
        let type = a.elementType.isFloatingPoint ? a.elementType : (b.elementType.isFloatingPoint ? b.elementType : .float)
        return try ONNXTensor(elementType: type, dims: dims, values: .floats(values))
    }
}

extension Optional where Wrapped == ONNXTensor {
    func orThrow(_ node: ONNXNode) throws -> ONNXTensor {
        guard let self else { throw EngineError.format("\(node.label): an input is missing") }
        return self
    }
}
