/// Element types that weight files store, with their sizes and conversion to Float.
///
/// Networks compute in Float32, so every type is widened or narrowed to Float on load;
/// integer tensors (e.g. batch norm's `num_batches_tracked`) convert exactly up to 2^24.
public enum WeightDType: String, Sendable, CaseIterable {
    case float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool

    public var size: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16, .bfloat16, .int16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// From a torch storage class name such as "FloatStorage".
    init?(torchStorage name: String) {
        switch name {
        case "FloatStorage": self = .float32
        case "DoubleStorage": self = .float64
        case "HalfStorage": self = .float16
        case "BFloat16Storage": self = .bfloat16
        case "LongStorage": self = .int64
        case "IntStorage": self = .int32
        case "ShortStorage": self = .int16
        case "CharStorage": self = .int8
        case "ByteStorage": self = .uint8
        case "BoolStorage": self = .bool
        default: return nil
        }
    }

    /// From a numpy type code without byte order, such as "f4".
    init?(numpy code: String) {
        switch code {
        case "f4": self = .float32
        case "f8": self = .float64
        case "f2": self = .float16
        case "i8": self = .int64
        case "i4": self = .int32
        case "i2": self = .int16
        case "i1": self = .int8
        case "u1": self = .uint8
        case "b1": self = .bool
        default: return nil
        }
    }

    /// From a safetensors dtype tag such as "F32".
    init?(safetensors tag: String) {
        switch tag {
        case "F32": self = .float32
        case "F64": self = .float64
        case "F16": self = .float16
        case "BF16": self = .bfloat16
        case "I64": self = .int64
        case "I32": self = .int32
        case "I16": self = .int16
        case "I8": self = .int8
        case "U8": self = .uint8
        case "BOOL": self = .bool
        default: return nil
        }
    }

    /// Decodes `count` elements starting at `start` of `bytes` (already bounds-checked by the caller).
    func decode(_ bytes: [UInt8], start: Int, count: Int, littleEndian: Bool = true) -> [Float] {
        var result = [Float](repeating: 0, count: count)
        let width = size
        bytes.withUnsafeBufferPointer { buffer in
            func raw(_ index: Int) -> UInt64 {
                var value: UInt64 = 0
                let base = start + index * width
                for byte in 0..<width {
                    let shift = littleEndian ? byte : width - 1 - byte
                    value |= UInt64(buffer[base + byte]) << (8 * UInt64(shift))
                }
                return value
            }
            if self == .float32 && littleEndian {
                // Fast path: the common case, a straight copy.
                result.withUnsafeMutableBytes { destination in
                    destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[start..<start + count * 4]))
                }
                return
            }
            for index in 0..<count {
                let bits = raw(index)
                switch self {
                case .float32: result[index] = Float(bitPattern: UInt32(bits))
                case .float64: result[index] = Float(Double(bitPattern: bits))
                case .float16: result[index] = Float(Float16(bitPattern: UInt16(bits)))
                case .bfloat16: result[index] = Float(bitPattern: UInt32(bits) << 16)
                case .int64: result[index] = Float(Int64(bitPattern: bits))
                case .int32: result[index] = Float(Int32(truncatingIfNeeded: bits))
                case .int16: result[index] = Float(Int16(truncatingIfNeeded: bits))
                case .int8: result[index] = Float(Int8(truncatingIfNeeded: bits))
                case .uint8, .bool: result[index] = Float(bits)
                }
            }
        }
        return result
    }
}
