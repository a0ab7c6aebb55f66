/// Index arithmetic shared by shape inference and constant folding, following the operator
/// definitions at https://onnx.ai/onnx/operators/. Every size is checked: shapes come from
/// files, and an overflowing product would stop the process.
enum ONNXShapeMath {
    /// `axis` in `-rank..<rank` made non-negative (onnx: "negative value means counting
    /// dimensions from the back").
    static func axis(_ axis: Int, rank: Int, _ node: ONNXNode, _ what: String = "axis") throws -> Int {
        guard axis >= -rank, axis < rank else {
            throw EngineError.format("\(node.label): \(what) \(axis) is outside the \(rank) dimensions of its input")
        }
        return axis < 0 ? axis + rank : axis
    }

    /// Distinct normalized axes, in the order given.
    static func axes(_ values: [Int], rank: Int, _ node: ONNXNode) throws -> [Int] {
        let normalized = try values.map { try axis($0, rank: rank, node, "axes entry") }
        guard Set(normalized).count == normalized.count else {
            throw EngineError.format("\(node.label): axes \(values) repeat an axis")
        }
        return normalized
    }

    /// Element count of `shape`, refused past `ONNXTensorDecoding.maximumElements`.
    static func count(_ shape: [Int], _ node: ONNXNode) throws -> Int {
        guard let count = CheckedArithmetic.product(shape), count <= ONNXTensorDecoding.maximumElements else {
            throw EngineError.format("\(node.label): shape \(shape) is negative or holds more than \(ONNXTensorDecoding.maximumElements) elements")
        }
        return count
    }

    /// Row-major strides of `shape` (callers have checked its count).
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for index in shape.indices.reversed() {
            strides[index] = step
            step &*= shape[index]
        }
        return strides
    }

    /// Multidirectional (numpy) broadcasting of two shapes.
    static func broadcast(_ a: [Int], _ b: [Int], _ node: ONNXNode) throws -> [Int] {
        let rank = max(a.count, b.count)
        let left = [Int](repeating: 1, count: rank - a.count) + a
        let right = [Int](repeating: 1, count: rank - b.count) + b
        return try zip(left, right).map { x, y in
            if x == y || y == 1 { return x }
            if x == 1 { return y }
            throw EngineError.shapeMismatch("\(node.label): shapes \(a) and \(b) do not broadcast")
        }
    }

    /// For each element of `output` (row-major), the flat index of the element of `input`
    /// (which broadcasts to `output`) that it reads.
    static func broadcastIndices(from input: [Int], to output: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: output.count - input.count) + input
        let inputStrides = strides(padded)
        let count = output.reduce(1, *)
        var result = [Int](repeating: 0, count: count)
        var position = [Int](repeating: 0, count: output.count)
        for flat in 0..<count {
            var source = 0
            for axis in 0..<output.count where padded[axis] != 1 { source += position[axis] * inputStrides[axis] }
            result[flat] = source
            var axis = output.count - 1
            while axis >= 0 {
                position[axis] += 1
                if position[axis] < output[axis] { break }
                position[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    /// Start and element count of a Slice along a dimension of size `dim` (clamping as the
    /// Slice operator defines for out-of-range starts and ends, such as INT64_MAX). `step`
    /// is neither 0 nor Int64.min (the caller refuses both).
    static func slice(dim: Int, start: Int64, end: Int64, step: Int64) -> (start: Int, count: Int) {
        let size = Int64(dim)
        var first = start < 0 ? start &+ size : start
        var last = end < 0 ? end &+ size : end
        if step > 0 {
            first = min(max(first, 0), size)
            last = min(max(last, 0), size)
            let count = last > first ? (last - first - 1) / step + 1 : 0
            return (Int(first), Int(count))
        }
        first = min(max(first, 0), size - 1)
        last = min(max(last, -1), size - 1)
        let count = first > last ? (first - last - 1) / (-step) + 1 : 0
        return (Int(first), Int(count))
    }

    /// The output shape of Reshape: 0 copies the input's dimension (unless `allowZero`), -1
    /// takes what is left.
    static func reshape(_ input: [Int], to requested: [Int64], allowZero: Bool, _ node: ONNXNode) throws -> [Int] {
        let total = try count(input, node)
        var shape: [Int] = []
        var inferred: Int?
        for (index, value) in requested.enumerated() {
            if value == -1 {
                guard inferred == nil else { throw EngineError.format("\(node.label): shape \(requested) has more than one -1") }
                inferred = index
                shape.append(1)
            } else if value == 0 && !allowZero {
                guard index < input.count else { throw EngineError.format("\(node.label): shape \(requested) copies dimension \(index) of a rank-\(input.count) input") }
                shape.append(input[index])
            } else {
                guard value >= 0, value <= Int64(ONNXTensorDecoding.maximumElements) else {
                    throw EngineError.format("\(node.label): shape \(requested) has dimension \(value)")
                }
                shape.append(Int(value))
            }
        }
        let known = try count(shape, node)
        if let inferred {
            guard known > 0, total % known == 0 else {
                throw EngineError.shapeMismatch("\(node.label): cannot reshape \(input) (\(total) elements) to \(requested)")
            }
            shape[inferred] = total / known
        } else if known != total {
            throw EngineError.shapeMismatch("\(node.label): cannot reshape \(input) (\(total) elements) to \(requested)")
        }
        return shape
    }
}

extension ONNXTensor {
    /// A tensor of `dims` whose elements are those of `self` at the flat `indices` (same type).
    func picking(_ indices: [Int], dims: [Int]) throws -> ONNXTensor {
        switch values {
        case .floats(let floats): return try ONNXTensor(elementType: elementType, dims: dims, values: .floats(indices.map { floats[$0] }))
        case .integers(let integers): return try ONNXTensor(elementType: elementType, dims: dims, values: .integers(indices.map { integers[$0] }))
        }
    }

    /// The same elements under other dims (the caller has checked the counts agree).
    func reshaped(_ dims: [Int]) throws -> ONNXTensor {
        try ONNXTensor(elementType: elementType, dims: dims, values: values)
    }
}
