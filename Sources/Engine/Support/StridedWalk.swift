/// Row-major traversal of a strided view of a flat buffer: the one loop behind permuting axes
/// (`Tensor.transposed`, `WeightArray.permuted`), reading torch storages with arbitrary strides,
/// and ONNX constant Slice/Transpose folding.
///
/// A view of `shape` starts at `base` and moves `strides[axis]` buffer elements per step along
/// each axis; element (i0, ..., ik) of the view is buffer element base + sum(i_a * strides[a]).
/// Walking the view in row-major order only ever adds a stride, and on wrapping an axis takes
/// back that axis's whole extent, so no index is multiplied out per element.
enum StridedWalk {
    /// Calls `body(flat, offset)` for every element of the view in row-major order: `flat` is
    /// its position in the view (0 ..< shape product), `offset` its position in the buffer.
    /// `strides` must have one entry per axis of `shape`; callers check the offsets fit the buffer.
    @inline(__always)
    static func forEach(shape: [Int], strides: [Int], base: Int, _ body: (_ flat: Int, _ offset: Int) -> Void) {
        let total = shape.reduce(1, *)
        guard total > 0 else { return }
        var index = [Int](repeating: 0, count: shape.count)
        var offset = base
        for flat in 0..<total {
            body(flat, offset)
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < shape[axis] { break }
                offset -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// The buffer offset of every element of the view, in row-major order.
    static func offsets(shape: [Int], strides: [Int], base: Int) -> [Int] {
        var offsets = [Int](repeating: 0, count: shape.reduce(1, *))
        forEach(shape: shape, strides: strides, base: base) { flat, offset in offsets[flat] = offset }
        return offsets
    }

    /// Strides of a dense row-major (C order) array of `shape`, in elements.
    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        return strides
    }
}
