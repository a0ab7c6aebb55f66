/// QuantizeLinear and DequantizeLinear evaluated on constants, so that a quantized model's
/// weights (an int8 initializer through DequantizeLinear, or a float initializer through a
/// QuantizeLinear/DequantizeLinear pair, as onnxruntime's QDQ format stores them) become the
/// float initializers the engine runs with.
///
/// Follows https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html and
/// onnx__DequantizeLinear.html: per-tensor (scale with one element), per-axis (1-D scale along
/// `axis`, default 1) and, from opset 21, blocked (`block_size`, scale of the input's rank).
enum ONNXQuantization {
    /// y = saturate(round_half_even(x / y_scale) + y_zero_point), of the zero point's type
    /// (or `output_dtype`, or UINT8).
    static func quantize(_ node: ONNXNode, inputs: [ONNXTensor?]) throws -> ONNXTensor {
        guard let x = inputs[safe: 0] ?? nil, let scale = inputs[safe: 1] ?? nil else {
            throw EngineError.format("\(node.label): QuantizeLinear needs x and y_scale")
        }
        let zeroPoint = inputs[safe: 2] ?? nil
        let declared = try node.int("output_dtype", default: 0)
        let type = zeroPoint?.elementType ?? (declared == 0 ? .uint8 : ONNXElementType(rawValue: declared))
        guard let type, let range = integerRange(type) else {
            let name = zeroPoint?.elementType.description ?? ONNXElementType.name(ofCode: declared)
            throw EngineError.unsupported("\(node.label): quantizing to \(name) is not supported (INT8, UINT8, INT16, UINT16 and INT32 are)")
        }
        let scaleAt = try parameterIndices(node, x.dims, scale.dims, zeroPoint?.dims)
        // Converted once: `floats` of an integer tensor builds a new array on every call.
        let inputs = x.floats, scales = scale.floats, zeros = zeroPoint?.floats
        let values = try scaleAt.enumerated().map { position, index -> Int64 in
            guard scales[index] != 0 else { throw EngineError.invalid("\(node.label): y_scale is zero") }
            let quotient = (Double(inputs[position]) / Double(scales[index])).rounded(.toNearestOrEven) + Double(zeros?[index] ?? 0)
            guard !quotient.isNaN else { return 0 }
            return Int64(min(max(quotient, Double(range.lowerBound)), Double(range.upperBound)))
        }
        return try ONNXTensor(elementType: type, dims: x.dims, values: .integers(values))
    }

    /// y = (x - x_zero_point) * x_scale, of the scale's (floating-point) type.
    static func dequantize(_ node: ONNXNode, inputs: [ONNXTensor?]) throws -> ONNXTensor {
        guard let x = inputs[safe: 0] ?? nil, let scale = inputs[safe: 1] ?? nil else {
            throw EngineError.format("\(node.label): DequantizeLinear needs x and x_scale")
        }
        guard let quantized = x.integers else {
            throw EngineError.unsupported("\(node.label): dequantizing \(x.elementType) is not supported (integer inputs are)")
        }
        let zeroPoint = inputs[safe: 2] ?? nil
        if let zeroPoint, zeroPoint.elementType != x.elementType {
            throw EngineError.format("\(node.label): x is \(x.elementType) but x_zero_point is \(zeroPoint.elementType)")
        }
        let scaleAt = try parameterIndices(node, x.dims, scale.dims, zeroPoint?.dims)
        let scales = scale.floats, zeros = zeroPoint?.integers
        let values = scaleAt.enumerated().map { position, index -> Float in
            Float((Double(quantized[position]) - Double(zeros?[index] ?? 0)) * Double(scales[index]))
        }
        let type: ONNXElementType = scale.elementType.isFloatingPoint ? scale.elementType : .float
        return try ONNXTensor(elementType: type, dims: x.dims, values: .floats(values))
    }

    /// For each element of x, the index of its scale (and zero point, which must have the
    /// scale's shape).
    private static func parameterIndices(_ node: ONNXNode, _ x: [Int], _ scale: [Int], _ zeroPoint: [Int]?) throws -> [Int] {
        let count = try ONNXShapeMath.count(x, node)
        let scaleCount = try ONNXShapeMath.count(scale, node)
        if let zeroPoint, zeroPoint != scale, !(scaleCount == 1 && zeroPoint.reduce(1, *) == 1) {
            throw EngineError.shapeMismatch("\(node.label): scale \(scale) and zero point \(zeroPoint) differ in shape")
        }
        if scaleCount == 1 { return [Int](repeating: 0, count: count) }
        let axis = try ONNXShapeMath.axis(try node.int("axis", default: 1), rank: x.count, node)
        let blockSize = try node.int("block_size", default: 0)
        let strides = ONNXShapeMath.strides(x)
        if blockSize <= 0 {
            guard scale == [x[axis]] else {
                throw EngineError.shapeMismatch("\(node.label): per-axis scale \(scale) does not match axis \(axis) of \(x)")
            }
            return (0..<count).map { ($0 / strides[axis]) % x[axis] }
        }
        // Blocked: the scale has x's shape with axis `axis` divided into blocks of `block_size`.
        var expected = x
        expected[axis] = x[axis] == 0 ? 0 : (x[axis] - 1) / blockSize + 1
        guard scale == expected else {
            throw EngineError.shapeMismatch("\(node.label): blocked scale \(scale) does not match \(x) with block_size \(blockSize) on axis \(axis) (expected \(expected))")
        }
        let scaleStrides = ONNXShapeMath.strides(scale)
        return (0..<count).map { flat in
            var index = 0
            for dimension in x.indices {
                let coordinate = (flat / strides[dimension]) % x[dimension]
                index += (dimension == axis ? coordinate / blockSize : coordinate) * scaleStrides[dimension]
            }
            return index
        }
    }

    private static func integerRange(_ type: ONNXElementType) -> ClosedRange<Int64>? {
        switch type {
        case .int8: return -128...127
        case .uint8: return 0...255
        case .int16: return -32768...32767
        case .uint16: return 0...65535
        case .int32: return Int64(Int32.min)...Int64(Int32.max)
        default: return nil
        }
    }
}
