import Foundation

/// Turns `TensorProto` messages into `ONNXTensor`s, refusing what ConvLens cannot hold.
///
/// onnx.proto stores a tensor's elements either in `raw_data` (fixed width, little-endian) or
/// in the typed field its data type names: `float_data` for FLOAT; `int32_data` for INT32,
/// INT16, INT8, UINT16, UINT8, BOOL, and the bit patterns of FLOAT16 and BFLOAT16;
/// `int64_data` for INT64; `double_data` for DOUBLE; `uint64_data` for UINT32 and UINT64.
enum ONNXTensorDecoding {
    /// The most elements one tensor may have: a 1 GB file holds at most this many 4-byte values,
    /// and folding (ConstantOfShape, Gather) must not make more out of a few bytes either.
    static let maximumElements = 256 << 20
    /// No network ConvLens reads has tensors of more dimensions; a file with more is damaged.
    static let maximumRank = 16

    /// Decodes `proto`; `what` names it in errors ("initializer 'conv1.weight'"), `source` names the file.
    static func decode(_ proto: Onnx_TensorProto, what: String, source: String) throws -> ONNXTensor {
        func failure(_ message: String) -> EngineError { .format("\(source): \(what) \(message)") }

        if proto.dataLocation == .external || !proto.externalData.isEmpty {
            let location = proto.externalData.first { $0.key == "location" }?.value ?? "?"
            throw EngineError.unsupported("\(source): \(what) keeps its data in an external file ('\(location)'); "
                + "ConvLens reads only self-contained .onnx files: save the model with "
                + "onnx.save_model(model, path, save_as_external_data=False)")
        }
        if proto.hasSegment {
            throw EngineError.unsupported("\(source): \(what) is a segment of a larger tensor; segmented tensors are not supported")
        }
        let code = Int(proto.dataType)
        guard let type = ONNXElementType(rawValue: code) else {
            throw EngineError.unsupported("\(source): \(what) has element type \(ONNXElementType.name(ofCode: code)); "
                + "ConvLens reads \(ONNXElementType.allCases.map(\.description).joined(separator: ", ")) tensors")
        }
        guard proto.dims.count <= maximumRank else {
            throw failure("has \(proto.dims.count) dimensions; at most \(maximumRank) are supported")
        }
        let dims = proto.dims.map { Int($0) }
        guard let count = CheckedArithmetic.product(dims), count <= maximumElements else {
            throw failure("has dimensions \(dims), which are negative or hold more than \(maximumElements) elements")
        }

        let values: ONNXTensor.Values
        if proto.hasRawData {
            guard let expected = CheckedArithmetic.product([count, type.byteWidth]), proto.rawData.count == expected else {
                throw failure("of shape \(dims) and type \(type) needs \(count) elements of \(type.byteWidth) bytes in raw_data, \(CheckedArithmetic.product([count, type.byteWidth]).map { "\($0) bytes" } ?? "more than a file holds"); the file has \(proto.rawData.count) (truncated or damaged)")
            }
            values = try decodeRaw(proto.rawData, type: type, count: count, fail: failure)
        } else {
            values = try decodeTyped(proto, type: type, count: count, fail: failure)
        }
        return try ONNXTensor(elementType: type, dims: dims, values: values)
    }

    private static func decodeRaw(_ data: Data, type: ONNXElementType, count: Int,
                                  fail: (String) -> EngineError) throws -> ONNXTensor.Values {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> ONNXTensor.Values in
            // `raw_data` is little-endian by definition; load each element from its byte offset
            // since protobuf gives no alignment guarantee.
            func load<T: FixedWidthInteger>(_: T.Type, _ index: Int) -> T {
                T(littleEndian: raw.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
            }
            switch type {
            case .float: return .floats((0..<count).map { Float(bitPattern: load(UInt32.self, $0)) })
            case .double: return .floats((0..<count).map { Float(Double(bitPattern: load(UInt64.self, $0))) })
            case .float16: return .floats((0..<count).map { halfToFloat(load(UInt16.self, $0)) })
            case .bfloat16: return .floats((0..<count).map { Float(bitPattern: UInt32(load(UInt16.self, $0)) << 16) })
            case .int8: return .integers((0..<count).map { Int64(load(Int8.self, $0)) })
            case .uint8: return .integers((0..<count).map { Int64(load(UInt8.self, $0)) })
            case .bool: return .integers((0..<count).map { load(UInt8.self, $0) == 0 ? 0 : 1 })
            case .int16: return .integers((0..<count).map { Int64(load(Int16.self, $0)) })
            case .uint16: return .integers((0..<count).map { Int64(load(UInt16.self, $0)) })
            case .int32: return .integers((0..<count).map { Int64(load(Int32.self, $0)) })
            case .uint32: return .integers((0..<count).map { Int64(load(UInt32.self, $0)) })
            case .int64: return .integers((0..<count).map { load(Int64.self, $0) })
            case .uint64: return .integers(try (0..<count).map { try exactSigned(load(UInt64.self, $0), fail: fail) })
            }
        }
    }

    private static func decodeTyped(_ proto: Onnx_TensorProto, type: ONNXElementType, count: Int,
                                    fail: (String) -> EngineError) throws -> ONNXTensor.Values {
        func require(_ field: String, _ found: Int) throws {
            guard found == count else {
                throw fail("of shape \(proto.dims) and type \(type) has \(found) values in \(field), expected \(count)")
            }
        }
        switch type {
        case .float:
            try require("float_data", proto.floatData.count)
            return .floats(proto.floatData)
        case .double:
            try require("double_data", proto.doubleData.count)
            return .floats(proto.doubleData.map { Float($0) })
        case .float16:
            try require("int32_data", proto.int32Data.count)
            return .floats(proto.int32Data.map { halfToFloat(UInt16(truncatingIfNeeded: $0)) })
        case .bfloat16:
            try require("int32_data", proto.int32Data.count)
            return .floats(proto.int32Data.map { Float(bitPattern: UInt32(UInt16(truncatingIfNeeded: $0)) << 16) })
        case .int8, .uint8, .bool, .int16, .uint16, .int32:
            try require("int32_data", proto.int32Data.count)
            let range = integerRange(type)
            return .integers(try proto.int32Data.map { value in
                let wide = Int64(value)
                guard range.contains(wide) else { throw fail("holds \(value) in int32_data, outside the \(type) range") }
                return type == .bool ? (wide == 0 ? 0 : 1) : wide
            })
        case .int64:
            try require("int64_data", proto.int64Data.count)
            return .integers(proto.int64Data)
        case .uint32, .uint64:
            try require("uint64_data", proto.uint64Data.count)
            return .integers(try proto.uint64Data.map { try exactSigned($0, fail: fail) })
        }
    }

    private static func integerRange(_ type: ONNXElementType) -> ClosedRange<Int64> {
        switch type {
        case .int8: return -128...127
        case .uint8: return 0...255
        case .bool: return 0...1
        case .int16: return -32768...32767
        case .uint16: return 0...65535
        default: return Int64(Int32.min)...Int64(Int32.max)
        }
    }

    private static func exactSigned(_ value: UInt64, fail: (String) -> EngineError) throws -> Int64 {
        guard let exact = Int64(exactly: value) else { throw fail("holds \(value), beyond the largest int64 ConvLens computes with") }
        return exact
    }

    /// IEEE 754 binary16 to Float, by bits: `Float16` is unavailable on x86-64 macOS, and this
    /// is exact on every platform.
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        if exponent == 0 {
            // Subnormal (or zero): mantissa x 2^-24.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }

    /// Float to the nearest binary16 value (round half to even), then back: what a Cast to
    /// FLOAT16 keeps of a value.
    static func roundedToHalf(_ value: Float) -> Float {
        guard value.isFinite else { return value }
        let magnitude = abs(value)
        if magnitude >= 65520 { return value < 0 ? -.infinity : .infinity }
        // Below 2^-14 the spacing is fixed at 2^-24; above, 10 mantissa bits.
        let exponent = max(magnitude.exponent, -14)
        let spacing = Float(sign: .plus, exponent: exponent - 10, significand: 1)
        let rounded = (magnitude / spacing).rounded(.toNearestOrEven) * spacing
        return value < 0 ? -rounded : rounded
    }
}
