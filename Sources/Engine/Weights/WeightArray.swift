/// A named array of weights as read from a file: shape and Float32 values, row-major.
///
/// This is the engine's neutral exchange format between weight files (pickle, torch,
/// safetensors) and networks, which turn it into `Tensor`s in the layout they need.
public struct WeightArray: Equatable, Sendable {
    public let shape: [Int]
    public let values: [Float]

    /// Creates an array; throws if the number of values does not match the shape.
    public init(shape: [Int], values: [Float]) throws {
        let expected = CheckedArithmetic.product(shape) ?? -1
        guard expected == values.count else {
            throw EngineError.shapeMismatch("weight array: shape \(shape) needs \(expected) values, got \(values.count)")
        }
        self.shape = shape
        self.values = values
    }

    public var count: Int { values.count }

    /// The same values with dimensions permuted: `permutation[i]` is the source axis of
    /// result axis i (e.g. HWIO -> OIHW is [3, 2, 0, 1]).
    public func permuted(_ permutation: [Int]) throws -> WeightArray {
        guard permutation.count == shape.count, Set(permutation) == Set(0..<shape.count) else {
            throw EngineError.invalid("permute: \(permutation) is not a permutation of \(shape.count) axes")
        }
        let newShape = permutation.map { shape[$0] }
        let sourceStrides = StridedWalk.rowMajorStrides(shape)
        let strides = permutation.map { sourceStrides[$0] }
        return try WeightArray(shape: newShape, values: WeightArray.gather(values, shape: newShape, strides: strides, offset: 0))
    }

    /// Reads `shape` elements from `source` with arbitrary strides (in elements).
    static func gather(_ source: [Float], shape: [Int], strides: [Int], offset: Int) -> [Float] {
        var result = [Float](repeating: 0, count: shape.reduce(1, *))
        StridedWalk.forEach(shape: shape, strides: strides, base: offset) { flat, position in result[flat] = source[position] }
        return result
    }
}
