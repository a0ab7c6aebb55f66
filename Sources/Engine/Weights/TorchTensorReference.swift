/// A tensor in a torch checkpoint: a strided view (`_rebuild_tensor_v2`) on a storage.
struct TorchTensorReference {
    let storage: TorchStorageReference
    let offset: Int
    let shape: [Int]
    let strides: [Int]

    /// Copies the viewed elements out as Float32, checking every index against the storage.
    func materialize(name: String) throws -> WeightArray {
        guard let bytes = storage.bytes else {
            throw EngineError.format("tensor '\(name)': storage \(storage.key) has no data in the file")
        }
        let elementCount = bytes.count / storage.dtype.size
        guard shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }), offset >= 0,
              strides.count == shape.count else {
            throw EngineError.format("tensor '\(name)': bad view (shape \(shape), strides \(strides), offset \(offset))")
        }
        guard let total = CheckedArithmetic.product(shape) else {
            throw EngineError.format("tensor '\(name)': shape \(shape) is impossibly large")
        }
        if total == 0 { return try WeightArray(shape: shape, values: []) }
        var lastIndex: Int? = offset
        for (size, stride) in zip(shape, strides) {
            lastIndex = lastIndex.flatMap { CheckedArithmetic.multiplyAdd(size - 1, stride, $0) }
        }
        guard let lastIndex, lastIndex < elementCount else {
            throw EngineError.format("tensor '\(name)': view (offset \(offset), shape \(shape), strides \(strides)) reaches past storage \(storage.key), which has \(elementCount) elements")
        }
        var contiguous = true
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { contiguous = false }
            expected *= shape[axis]
        }
        if contiguous {
            let values = storage.dtype.decode(bytes, start: offset * storage.dtype.size, count: total)
            return try WeightArray(shape: shape, values: values)
        }
        let span = lastIndex - offset + 1
        let window = storage.dtype.decode(bytes, start: offset * storage.dtype.size, count: span)
        return try WeightArray(shape: shape, values: WeightArray.gather(window, shape: shape, strides: strides, offset: 0))
    }
}
