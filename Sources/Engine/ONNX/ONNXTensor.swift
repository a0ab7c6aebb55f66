import Foundation

/// Element types of ONNX tensors that ConvLens reads (onnx.proto, `TensorProto.DataType`).
///
/// Strings, complex numbers, 8-bit and 4-bit floats are not listed: no vision network of the
/// kinds ConvLens imports stores its weights or shapes in them, and decoding refuses them by name.
public enum ONNXElementType: Int, Sendable, CaseIterable, CustomStringConvertible {
    case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7
    case bool = 9, float16 = 10, double = 11, uint32 = 12, uint64 = 13, bfloat16 = 16

    /// The onnx.proto spelling, e.g. "FLOAT16".
    public var description: String {
        switch self {
        case .float: return "FLOAT"
        case .uint8: return "UINT8"
        case .int8: return "INT8"
        case .uint16: return "UINT16"
        case .int16: return "INT16"
        case .int32: return "INT32"
        case .int64: return "INT64"
        case .bool: return "BOOL"
        case .float16: return "FLOAT16"
        case .double: return "DOUBLE"
        case .uint32: return "UINT32"
        case .uint64: return "UINT64"
        case .bfloat16: return "BFLOAT16"
        }
    }

    /// Floating-point types decode to `Float` values, the others to exact integers.
    public var isFloatingPoint: Bool {
        switch self {
        case .float, .float16, .double, .bfloat16: return true
        default: return false
        }
    }

    /// Bytes per element in `raw_data` (onnx.proto: "fixed-width, little-endian").
    var byteWidth: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16, .float16, .bfloat16: return 2
        case .int32, .float, .uint32: return 4
        case .int64, .double, .uint64: return 8
        }
    }

    /// The onnx.proto name of any data type code, known to ConvLens or not, for messages.
    static func name(ofCode code: Int) -> String {
        if let known = ONNXElementType(rawValue: code) { return known.description }
        let others = [0: "UNDEFINED", 8: "STRING", 14: "COMPLEX64", 15: "COMPLEX128", 17: "FLOAT8E4M3FN",
                      18: "FLOAT8E4M3FNUZ", 19: "FLOAT8E5M2", 20: "FLOAT8E5M2FNUZ", 21: "UINT4", 22: "INT4",
                      23: "FLOAT4E2M1", 24: "FLOAT8E8M0", 25: "UINT2", 26: "INT2"]
        return others[code] ?? "data type \(code)"
    }
}

/// A constant tensor of an ONNX model: an initializer, a `Constant` node's value, a tensor
/// attribute, or the result of constant folding.
///
/// Floating-point tensors hold `Float` values (double and half precision are narrowed or
/// widened on load, since the engine computes in Float32). Integer and boolean tensors keep
/// exact `Int64` values: shape arithmetic needs them exactly (Slice's `ends` is often
/// 2^63 - 1), and quantized weights are dequantized from them.
public struct ONNXTensor: Equatable, Sendable {
    /// The elements, row-major: Float for floating-point types, exact Int64 for the others.
    public enum Values: Equatable, Sendable {
        case floats([Float])
        case integers([Int64])
    }

    /// The element type the file declared (or a fold produced); `values` follows `isFloatingPoint`.
    public var elementType: ONNXElementType
    /// Dimensions, outermost first; `[]` is a scalar with one element.
    public var dims: [Int]
    public var values: Values

    /// Builds a tensor, checking that `values` has one element per position of `dims` and
    /// agrees with the element type. Throws `EngineError.invalid`.
    public init(elementType: ONNXElementType, dims: [Int], values: Values) throws {
        guard let count = CheckedArithmetic.product(dims) else {
            throw EngineError.invalid("tensor dimensions \(dims) are negative or too large")
        }
        switch values {
        case .floats(let floats):
            guard elementType.isFloatingPoint, floats.count == count else {
                throw EngineError.invalid("\(floats.count) float values for a \(elementType) tensor of shape \(dims)")
            }
        case .integers(let integers):
            guard !elementType.isFloatingPoint, integers.count == count else {
                throw EngineError.invalid("\(integers.count) integer values for a \(elementType) tensor of shape \(dims)")
            }
        }
        self.elementType = elementType
        self.dims = dims
        self.values = values
    }

    /// A FLOAT tensor.
    public init(dims: [Int], floats: [Float]) throws {
        try self.init(elementType: .float, dims: dims, values: .floats(floats))
    }

    /// An INT64 tensor, the type of every shape, index and axis input in ONNX.
    public init(dims: [Int], integers: [Int64]) throws {
        try self.init(elementType: .int64, dims: dims, values: .integers(integers))
    }

    /// The number of elements (the product of `dims`).
    public var count: Int {
        switch values {
        case .floats(let floats): return floats.count
        case .integers(let integers): return integers.count
        }
    }

    /// The values as Float, the form weights take in the engine (integers above 2^24 round).
    public var floats: [Float] {
        switch values {
        case .floats(let floats): return floats
        case .integers(let integers): return integers.map { Float($0) }
        }
    }

    /// The values as exact integers, or nil for a floating-point tensor.
    public var integers: [Int64]? {
        if case .integers(let integers) = values { return integers }
        return nil
    }

    /// The values as Double, for folding arithmetic that must not lose int64 precision.
    var doubles: [Double] {
        switch values {
        case .floats(let floats): return floats.map { Double($0) }
        case .integers(let integers): return integers.map { Double($0) }
        }
    }

    /// Integer values as `Int`, for shapes, axes and indices; nil for floating-point tensors.
    var ints: [Int]? { integers?.map { Int($0) } }
}
