/// A numpy array being rebuilt from a pickle.
///
/// numpy pickles an array as `_reconstruct(ndarray, (0,), b'b')` (an empty array) followed by
/// `BUILD` with the state `(version, shape, dtype, is_fortran, raw bytes)`; the box is created
/// by the first step and filled by the second.
final class NumpyArrayBox {
    var shape: [Int] = [0]
    var dtype: NumpyDTypeBox?
    var fortranOrder = false
    var raw: [UInt8] = []
    var isBuilt = false

    /// Applies the `BUILD` state.
    func build(_ state: PickleValue, context: String) throws {
        guard let items = state.asSequence, items.count == 5,
              let shape = items[1].asIntArray, case .dtype(let dtype) = items[2] else {
            throw EngineError.format("\(context): numpy array state is not (version, shape, dtype, fortran, data)")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw EngineError.format("\(context): numpy array has negative shape \(shape)")
        }
        switch items[4] {
        case .bytes(let bytes): raw = bytes
        case .string(let latin1):
            // Protocol 2 pickles from Python 2 carry the data as a latin-1 str.
            raw = latin1.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        default:
            throw EngineError.format("\(context): numpy array data is a \(items[4].kindName), expected bytes (object arrays are refused)")
        }
        self.shape = shape
        self.dtype = dtype
        self.fortranOrder = items[3].asInt == 1
        isBuilt = true
    }

    /// The array as Float32 in C order.
    func materialize(name: String) throws -> WeightArray {
        guard isBuilt, let dtype, let elementType = dtype.elementType else {
            throw EngineError.format("numpy array '\(name)' was never given its data or has an unsupported dtype")
        }
        guard let count = CheckedArithmetic.product(shape), let needed = CheckedArithmetic.product([count, elementType.size]),
              raw.count == needed else {
            throw EngineError.format("numpy array '\(name)': shape \(shape) of \(elementType) does not match its \(raw.count) bytes of data")
        }
        let values = elementType.decode(raw, start: 0, count: count, littleEndian: dtype.littleEndian)
        guard fortranOrder, shape.count > 1 else { return try WeightArray(shape: shape, values: values) }
        // Fortran order: the first axis varies fastest. Read it as the reversed shape, then transpose.
        let reversed = try WeightArray(shape: shape.reversed(), values: values)
        return try reversed.permuted(Array((0..<shape.count).reversed()))
    }
}
