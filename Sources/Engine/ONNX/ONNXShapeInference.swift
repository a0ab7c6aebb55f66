/// Static output shapes of the supported operators, from their input shapes and attributes
/// (https://onnx.ai/onnx/operators/). Constant folding needs them: `Shape` of a computed value
/// (torch's `x.view(x.size(0), -1)` asks for the shape of a pooled feature map) becomes a
/// constant only if that value's shape is known at load time.
///
/// A nil shape means "not known statically" (an input whose size was not given); it
/// propagates. A known shape that breaks an operator's rules is an error naming the node.
enum ONNXShapeInference {
    struct Context {
        let node: ONNXNode
        let shapes: [[Int]?]
        let constants: [ONNXTensor?]

        func shape(_ index: Int) -> [Int]? { index < shapes.count ? shapes[index] : nil }
        func constant(_ index: Int) -> ONNXTensor? { index < constants.count ? constants[index] : nil }
        /// A constant integer input (axes, pads, sizes), or nil when absent or not constant.
        func integers(_ index: Int) -> [Int64]? { constant(index)?.integers }
    }

    static func outputShapes(_ node: ONNXNode, shapes: [[Int]?], constants: [ONNXTensor?]) throws -> [[Int]?] {
        let context = Context(node: node, shapes: shapes, constants: constants)
        let first = try shape(context)
        // Secondary outputs (MaxPool's indices, Dropout's mask, BatchNormalization's running
        // statistics in training mode) are not used by inference graphs; only MaxPool's
        // indices share the first output's shape.
        return node.outputs.indices.map { $0 == 0 || node.opType == "MaxPool" ? first : nil }
    }

    private static func shape(_ c: Context) throws -> [Int]? {
        let node = c.node
        switch node.opType {
        case "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softmax", "LogSoftmax",
             "BatchNormalization", "InstanceNormalization", "LRN", "Sqrt", "Dropout", "Identity", "Cast",
             "QuantizeLinear", "DequantizeLinear":
            return c.shape(0)
        case "Add", "Sub", "Mul", "Div", "Pow":
            guard let a = c.shape(0), let b = c.shape(1) else { return nil }
            return try ONNXShapeMath.broadcast(a, b, node)
        case "Sum":
            var result: [Int]? = nil
            for index in node.inputs.indices {
                guard let shape = c.shape(index) else { return nil }
                result = try result.map { try ONNXShapeMath.broadcast($0, shape, node) } ?? shape
            }
            return result
        case "Conv", "ConvTranspose", "MaxPool", "AveragePool":
            return try window(c)
        case "GlobalAveragePool", "GlobalMaxPool":
            guard let x = c.shape(0) else { return nil }
            guard x.count >= 3 else { throw rank(node, x, "at least 3") }
            return Array(x.prefix(2)) + [Int](repeating: 1, count: x.count - 2)
        case "Gemm":
            guard let a = c.shape(0), let b = c.shape(1) else { return nil }
            guard a.count == 2, b.count == 2 else { throw EngineError.shapeMismatch("\(node.label): Gemm takes two matrices, got \(a) and \(b)") }
            let (m, k) = try node.int("transA", default: 0) != 0 ? (a[1], a[0]) : (a[0], a[1])
            let (kb, n) = try node.int("transB", default: 0) != 0 ? (b[1], b[0]) : (b[0], b[1])
            guard k == kb else { throw EngineError.shapeMismatch("\(node.label): Gemm of \(a) and \(b) (transA/transB applied) has inner sizes \(k) and \(kb)") }
            return [m, n]
        case "MatMul":
            guard let a = c.shape(0), let b = c.shape(1) else { return nil }
            return try matMul(a, b, node)
        case "ReduceMean", "ReduceSum":
            guard let x = c.shape(0) else { return nil }
            let fromInput = c.integers(1).map { $0.map { Int($0) } }
            if node.input(1) != nil && fromInput == nil { return nil }
            var axes = try fromInput ?? node.ints("axes") ?? []
            if axes.isEmpty {
                if try node.int("noop_with_empty_axes", default: 0) != 0 { return x }
                axes = Array(x.indices)
            }
            let reduced = Set(try ONNXShapeMath.axes(axes, rank: x.count, node))
            let keep = try node.int("keepdims", default: 1) != 0
            return x.indices.compactMap { reduced.contains($0) ? (keep ? 1 : nil) : x[$0] }
        case "Concat":
            let all = c.shapes.prefix(node.inputs.count)
            guard all.allSatisfy({ $0 != nil }), let firstShape = all.first ?? nil else { return nil }
            let axis = try ONNXShapeMath.axis(try node.int("axis") ?? 0, rank: firstShape.count, node)
            var result = firstShape
            result[axis] = 0
            for case let shape? in all {
                guard shape.count == firstShape.count, shape.indices.allSatisfy({ $0 == axis || shape[$0] == firstShape[$0] }) else {
                    throw EngineError.shapeMismatch("\(node.label): cannot concatenate \(firstShape) and \(shape) along axis \(axis)")
                }
                result[axis] += shape[axis]
            }
            return result
        case "Flatten":
            guard let x = c.shape(0) else { return nil }
            let axis = try node.int("axis", default: 1)
            let split = axis < 0 ? axis + x.count : axis
            guard split >= 0, split <= x.count else { throw EngineError.format("\(node.label): axis \(axis) is outside 0...\(x.count)") }
            return [try ONNXShapeMath.count(Array(x[..<split]), node), try ONNXShapeMath.count(Array(x[split...]), node)]
        case "Reshape":
            guard let x = c.shape(0), let requested = c.integers(1) else { return nil }
            return try ONNXShapeMath.reshape(x, to: requested, allowZero: try node.int("allowzero", default: 0) != 0, node)
        case "Transpose":
            guard let x = c.shape(0) else { return nil }
            let perm = try node.ints("perm") ?? Array(x.indices.reversed())
            guard perm.sorted() == Array(x.indices) else { throw EngineError.format("\(node.label): perm \(perm) is not a permutation of \(x.count) axes") }
            return perm.map { x[$0] }
        case "Squeeze":
            guard let x = c.shape(0) else { return nil }
            if node.input(1) != nil && c.integers(1) == nil { return nil }
            guard let axes = try c.integers(1).map({ $0.map { Int($0) } }) ?? node.ints("axes") else { return x.filter { $0 != 1 } }
            let drop = Set(try ONNXShapeMath.axes(axes, rank: x.count, node))
            for axis in drop where x[axis] != 1 { throw EngineError.shapeMismatch("\(node.label): cannot squeeze axis \(axis) of \(x), its size is not 1") }
            return x.indices.filter { !drop.contains($0) }.map { x[$0] }
        case "Unsqueeze":
            guard let x = c.shape(0) else { return nil }
            guard let axes = try c.integers(1).map({ $0.map { Int($0) } }) ?? node.ints("axes") else {
                if node.input(1) != nil { return nil }
                throw EngineError.format("\(node.label): Unsqueeze needs axes")
            }
            let rank = x.count + axes.count
            let inserted = Set(try ONNXShapeMath.axes(axes, rank: rank, node))
            var rest = x.makeIterator()
            return (0..<rank).map { inserted.contains($0) ? 1 : (rest.next() ?? 1) }
        case "Pad":
            guard let x = c.shape(0), let pads = c.integers(1) else { return nil }
            let axes = try c.integers(3).map { try ONNXShapeMath.axes($0.map { Int($0) }, rank: x.count, node) } ?? Array(x.indices)
            guard pads.count == 2 * axes.count else { throw EngineError.format("\(node.label): \(pads.count) pads for \(axes.count) axes") }
            var result = x
            for (index, axis) in axes.enumerated() {
                let (partial, overflowBegin) = Int64(x[axis]).addingReportingOverflow(pads[index])
                let (size, overflowEnd) = partial.addingReportingOverflow(pads[index + axes.count])
                guard !overflowBegin, !overflowEnd, size >= 0, size <= Int64(ONNXTensorDecoding.maximumElements) else {
                    throw EngineError.format("\(node.label): pads \(pads) do not fit axis \(axis) of \(x)")
                }
                result[axis] = Int(size)
            }
            return result
        case "Resize", "Upsample":
            return try resize(c)
        case "Shape":
            guard let x = c.shape(0) else { return nil }
            let range = try shapeRange(node, rank: x.count)
            return [range.count]
        case "Gather":
            guard let x = c.shape(0), let indices = c.shape(1) else { return nil }
            let axis = try ONNXShapeMath.axis(try node.int("axis", default: 0), rank: x.count, node)
            return Array(x[..<axis]) + indices + Array(x[(axis + 1)...])
        case "Slice":
            guard let x = c.shape(0), let starts = c.integers(1), let ends = c.integers(2) else { return nil }
            return try sliceParameters(node, shape: x, starts: starts, ends: ends, axes: c.integers(3), steps: c.integers(4)).shape
        case "ConstantOfShape":
            guard let requested = c.integers(0) else { return nil }
            return try requested.map { value in
                guard value >= 0, value <= Int64(ONNXTensorDecoding.maximumElements) else { throw EngineError.format("\(node.label): shape \(requested) has dimension \(value)") }
                return Int(value)
            }
        default:
            return nil
        }
    }

    /// Conv, ConvTranspose, MaxPool and AveragePool: a window slid over the spatial axes.
    private static func window(_ c: Context) throws -> [Int]? {
        let node = c.node
        guard let x = c.shape(0) else { return nil }
        guard x.count >= 3 else { throw rank(node, x, "at least 3") }
        let spatial = x.count - 2
        var channels = x[1]
        var kernel = try node.ints("kernel_shape")
        let group = try node.int("group", default: 1)
        if node.opType == "Conv" || node.opType == "ConvTranspose" {
            guard let w = c.shape(1) else { return nil }
            guard w.count == x.count else { throw EngineError.shapeMismatch("\(node.label): weight \(w) and input \(x) differ in rank") }
            guard group >= 1, group <= 1 << 24 else { throw EngineError.format("\(node.label): group \(group)") }
            if node.opType == "Conv" {
                guard x[1] == w[1] * group else { throw EngineError.shapeMismatch("\(node.label): input has \(x[1]) channels, weight \(w) with group \(group) expects \(w[1] * group)") }
                channels = w[0]
            } else {
                guard x[1] == w[0] else { throw EngineError.shapeMismatch("\(node.label): input has \(x[1]) channels, weight \(w) expects \(w[0])") }
                channels = w[1] * group
            }
            kernel = kernel ?? Array(w[2...])
        }
        guard let kernel, kernel.count == spatial, kernel.allSatisfy({ $0 >= 1 }) else {
            throw EngineError.format("\(node.label): kernel_shape \(try node.ints("kernel_shape") ?? []) does not fit a \(spatial)-d input \(x)")
        }
        let strides = try node.ints("strides") ?? [Int](repeating: 1, count: spatial)
        let dilations = try node.ints("dilations") ?? [Int](repeating: 1, count: spatial)
        let pads = try node.ints("pads") ?? [Int](repeating: 0, count: 2 * spatial)
        // Bounded so that the window arithmetic below cannot overflow on a hostile file.
        let sane = 1 << 24
        guard strides.count == spatial, dilations.count == spatial, pads.count == 2 * spatial, group <= sane,
              (kernel + strides + dilations + pads).allSatisfy({ $0 <= sane }),
              strides.allSatisfy({ $0 >= 1 }), dilations.allSatisfy({ $0 >= 1 }), pads.allSatisfy({ $0 >= 0 }) else {
            throw EngineError.format("\(node.label): strides \(strides), dilations \(dilations) or pads \(pads) do not fit a \(spatial)-d window")
        }
        let autoPad = try node.string("auto_pad") ?? "NOTSET"
        let ceil = try node.int("ceil_mode", default: 0) != 0
        var result = [x[0], channels]
        for axis in 0..<spatial {
            let size = x[axis + 2], stride = strides[axis]
            let extent = (kernel[axis] - 1) * dilations[axis] + 1
            var out: Int
            if node.opType == "ConvTranspose" {
                if let shape = try node.ints("output_shape"), shape.count >= spatial {
                    out = min(shape[shape.count - spatial + axis], ONNXTensorDecoding.maximumElements)
                } else {
                    let outputPadding = min(max(try node.ints("output_padding")?[safe: axis] ?? 0, 0), sane)
                    let padding = autoPad == "NOTSET" ? pads[axis] + pads[axis + spatial] : 0
                    out = autoPad.hasPrefix("SAME") ? size * stride : stride * (size - 1) + outputPadding + extent - padding
                }
            } else {
                switch autoPad {
                case "SAME_UPPER", "SAME_LOWER": out = (size + stride - 1) / stride
                case "VALID": out = size >= extent ? (size - extent) / stride + 1 : 0
                case "NOTSET":
                    let span = size + pads[axis] + pads[axis + spatial] - extent
                    guard span >= 0 else { throw EngineError.shapeMismatch("\(node.label): window of \(extent) does not fit axis of \(size) (+ pads \(pads))") }
                    out = (ceil ? (span + stride - 1) / stride : span / stride) + 1
                    // A window that would start in the end padding is dropped (PyTorch's rule, in ONNX since opset 19).
                    if ceil && (out - 1) * stride >= size + pads[axis] { out -= 1 }
                default: throw EngineError.format("\(node.label): auto_pad '\(autoPad)' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID")
                }
            }
            // Bounded like every other size, so that a chain of upsampling layers cannot overflow.
            guard out >= 0, out <= ONNXTensorDecoding.maximumElements else {
                throw EngineError.shapeMismatch("\(node.label): output size \(out) on spatial axis \(axis)")
            }
            result.append(out)
        }
        return result
    }

    private static func matMul(_ a: [Int], _ b: [Int], _ node: ONNXNode) throws -> [Int] {
        guard !a.isEmpty, !b.isEmpty else { throw EngineError.shapeMismatch("\(node.label): MatMul of a scalar") }
        let left = a.count == 1 ? [1] + a : a, right = b.count == 1 ? b + [1] : b
        guard left[left.count - 1] == right[right.count - 2] else {
            throw EngineError.shapeMismatch("\(node.label): MatMul of \(a) and \(b): inner sizes differ")
        }
        var result = try ONNXShapeMath.broadcast(Array(left.dropLast(2)), Array(right.dropLast(2)), node)
        if a.count > 1 { result.append(left[left.count - 2]) }
        if b.count > 1 { result.append(right[right.count - 1]) }
        return result
    }

    private static func resize(_ c: Context) throws -> [Int]? {
        let node = c.node
        guard let x = c.shape(0) else { return nil }
        // Resize (opset 11+): X, roi, scales, sizes; Upsample: X, scales.
        let scalesIndex = node.opType == "Upsample" ? 1 : 2
        let axes = try node.ints("axes").map { try ONNXShapeMath.axes($0, rank: x.count, node) } ?? Array(x.indices)
        if node.opType == "Resize", node.input(3) != nil {
            guard let sizes = c.integers(3) else { return nil }
            guard sizes.count == axes.count, sizes.allSatisfy({ $0 >= 0 && $0 <= Int64(ONNXTensorDecoding.maximumElements) }) else {
                throw EngineError.format("\(node.label): sizes \(sizes) do not fit input \(x)")
            }
            // keep_aspect_ratio_policy other than "stretch" changes sizes; ConvLens does not implement it.
            let policy = try node.string("keep_aspect_ratio_policy") ?? "stretch"
            guard policy == "stretch" else { throw EngineError.unsupported("\(node.label): keep_aspect_ratio_policy '\(policy)' is not supported") }
            var result = x
            for (index, axis) in axes.enumerated() { result[axis] = Int(sizes[index]) }
            return result
        }
        let fromAttribute = node.opType == "Upsample" ? try node.floats("scales") : nil
        guard let scales = fromAttribute ?? c.constant(scalesIndex)?.floats else { return nil }
        guard scales.count == axes.count, scales.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw EngineError.format("\(node.label): scales \(scales) do not fit input \(x)")
        }
        var result = x
        for (index, axis) in axes.enumerated() {
            let size = (Double(x[axis]) * Double(scales[index])).rounded(.down)
            guard size <= Double(ONNXTensorDecoding.maximumElements) else { throw EngineError.format("\(node.label): scale \(scales[index]) makes axis \(axis) too large") }
            result[axis] = Int(size)
        }
        return result
    }

    /// The dimensions Shape returns: `start` and `end` (opset 15), clamped as the operator says.
    static func shapeRange(_ node: ONNXNode, rank: Int) throws -> Range<Int> {
        func clamp(_ value: Int) -> Int { min(max(value < 0 ? value + rank : value, 0), rank) }
        let start = clamp(try node.int("start", default: 0)), end = clamp(try node.int("end", default: rank))
        return start..<max(start, end)
    }

    struct SliceParameters {
        var shape: [Int]
        /// Per axis of the input: first index and step (axes not sliced: 0 and 1).
        var starts: [Int]
        var steps: [Int]
    }

    /// Slice's inputs (opset 10+) resolved against a data shape.
    static func sliceParameters(_ node: ONNXNode, shape: [Int], starts: [Int64], ends: [Int64], axes: [Int64]?, steps: [Int64]?) throws -> SliceParameters {
        let axisList = try ONNXShapeMath.axes((axes ?? (0..<Int64(starts.count)).map { $0 }).map { Int($0) }, rank: shape.count, node)
        let stepList = steps ?? [Int64](repeating: 1, count: starts.count)
        guard ends.count == starts.count, axisList.count == starts.count, stepList.count == starts.count else {
            throw EngineError.format("\(node.label): starts \(starts), ends \(ends), axes \(axes ?? []) and steps \(stepList) differ in length")
        }
        var result = SliceParameters(shape: shape, starts: [Int](repeating: 0, count: shape.count), steps: [Int](repeating: 1, count: shape.count))
        for (index, axis) in axisList.enumerated() {
            let step = stepList[index]
            guard step != 0, step != Int64.min else { throw EngineError.format("\(node.label): step \(step)") }
            let range = ONNXShapeMath.slice(dim: shape[axis], start: starts[index], end: ends[index], step: step)
            result.shape[axis] = range.count
            result.starts[axis] = range.start
            result.steps[axis] = Int(step)
        }
        return result
    }

    private static func rank(_ node: ONNXNode, _ shape: [Int], _ expected: String) -> EngineError {
        .shapeMismatch("\(node.label): input of shape \(shape) has rank \(shape.count), expected \(expected)")
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
