import Foundation

/// An array in NumPy's .npy format, the engine's one codec for it: `save(x, "f.npy")` writes
/// with it and `convlens bench tsne` exchanges points with Python through it.
///
/// Follows numpy.lib.format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
/// magic `\x93NUMPY`, version, a little-endian header length, then a Python dict literal with
/// `descr`, `fortran_order` and `shape`, then the raw values. Writes version 1.0 (2.0 for a
/// header over 64 KiB), little-endian float32, C order, the header padded with spaces so the data
/// start on a 64-byte boundary as numpy itself writes. Reads versions 1, 2 and 3 in C order, any
/// rank, the dtypes `<f4`, `<f8`, `<i4`, `<i8` and `|u1` (also written `<u1`), converted to Float.
public struct NpyArray: Equatable, Sendable {
    /// The dimensions; `[]` for a scalar (one value).
    public let shape: [Int]
    /// The values in C (row-major) order.
    public let values: [Float]

    /// Throws unless every dimension is non-negative and `values` holds their product.
    public init(shape: [Int], values: [Float]) throws {
        guard let count = NpyArray.elementCount(shape), count == values.count else {
            throw EngineError.shapeMismatch(".npy: shape \(shape) does not hold \(values.count) values")
        }
        self.shape = shape
        self.values = values
    }

    /// The bytes of a .npy file (version 1.0, or 2.0 for a header over 65,535 bytes) holding the
    /// values as little-endian float32.
    public func encoded() -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        // Version 2.0 (a 4-byte header length) only when the header outgrows 65,535 bytes, as numpy does.
        let lengthBytes = NpyArray.magic.count + 2 + 2 + header.utf8.count + 1 + 63 <= 0xFFFF ? 2 : 4
        let unpadded = NpyArray.magic.count + 2 + lengthBytes + header.utf8.count + 1 // magic, version, length, header, newline
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data(NpyArray.magic + [lengthBytes == 2 ? 1 : 2, 0])
        let length = header.utf8.count
        data.append(contentsOf: (0..<lengthBytes).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) })
        data.append(contentsOf: Array(header.utf8))
        data.reserveCapacity(data.count + 4 * values.count)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Decodes the bytes of a .npy file; `source` (a path or a name) goes into every error.
    public static func decode(_ bytes: [UInt8], source: String) throws -> NpyArray {
        func failure(_ reason: String) -> EngineError { .format("\(source): \(reason)") }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw failure("not a .npy file (it does not start with \\x93NUMPY)")
        }
        let headerStart: Int, headerLength: Int
        switch bytes[6] {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw failure("the header is truncated") }
            headerStart = 12
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        default:
            throw failure(".npy version \(bytes[6]) is not supported (1, 2 and 3 are)")
        }
        guard headerLength <= bytes.count - headerStart,
              let header = String(bytes: bytes[headerStart..<headerStart + headerLength], encoding: .utf8) else {
            throw failure("the header is truncated or not text")
        }
        guard try field("fortran_order", in: header, source: source) == "False" else {
            throw failure("Fortran-order arrays are not supported; save a C-order array (numpy.ascontiguousarray)")
        }
        let shape = try parseShape(try field("shape", in: header, source: source), source: source)
        guard let count = elementCount(shape) else { throw failure("shape \(shape) is too large") }
        let descr = try field("descr", in: header, source: source).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        guard let dtype = DType(rawValue: descr == "<u1" ? "|u1" : descr) else {
            throw failure("dtype \(descr) is not supported (<f4, <f8, <i4, <i8 and |u1 are)")
        }
        let body = headerStart + headerLength
        let (size, overflow) = count.multipliedReportingOverflow(by: dtype.width)
        guard !overflow, size <= bytes.count - body else {
            throw failure("shape \(shape) needs \(count) values of \(dtype.width) bytes, but the file holds \(bytes.count - body) bytes of data")
        }
        let values = (0..<count).map { index -> Float in
            var bits: UInt64 = 0
            let start = body + index * dtype.width
            for byte in 0..<dtype.width { bits |= UInt64(bytes[start + byte]) << (8 * byte) }
            return dtype.value(bits)
        }
        return try NpyArray(shape: shape, values: values)
    }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The product of the dimensions; nil for a negative dimension or an overflow.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// The dtypes read, as numpy spells them in `descr`.
    enum DType: String {
        case float32 = "<f4", float64 = "<f8", int32 = "<i4", int64 = "<i8", uint8 = "|u1"

        var width: Int {
            switch self {
            case .uint8: return 1
            case .float32, .int32: return 4
            case .float64, .int64: return 8
            }
        }

        /// The value of `width` little-endian bytes gathered into the low bits of `bits`.
        func value(_ bits: UInt64) -> Float {
            switch self {
            case .float32: return Float(bitPattern: UInt32(truncatingIfNeeded: bits))
            case .float64: return Float(Double(bitPattern: bits))
            case .int32: return Float(Int32(truncatingIfNeeded: bits))
            case .int64: return Float(Int64(bitPattern: bits))
            case .uint8: return Float(bits)
            }
        }
    }

    /// The text of one key's value in the header dict: up to the closing parenthesis for the
    /// shape tuple, else up to the next comma or brace.
    private static func field(_ name: String, in header: String, source: String) throws -> String {
        guard let key = header.range(of: "'\(name)':") else {
            throw EngineError.format("\(source): the .npy header has no '\(name)'")
        }
        let rest = header[key.upperBound...].drop { $0 == " " }
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else {
                throw EngineError.format("\(source): the .npy header's '\(name)' has no closing parenthesis")
            }
            return String(rest[...close])
        }
        return String(rest.prefix { $0 != "," && $0 != "}" }).trimmingCharacters(in: .whitespaces)
    }

    /// "(3, 2)", "(4,)" or "()" as dimensions.
    private static func parseShape(_ text: String, source: String) throws -> [Int] {
        guard text.hasPrefix("("), text.hasSuffix(")") else {
            throw EngineError.format("\(source): the .npy shape \(text) is not a tuple")
        }
        return try text.dropFirst().dropLast().split(separator: ",").compactMap { part -> Int? in
            let trimmed = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
            if trimmed.isEmpty { return nil }
            guard let dimension = Int(trimmed), dimension >= 0 else {
                throw EngineError.format("\(source): the .npy shape \(text) has a dimension that is not a count")
            }
            return dimension
        }
    }
}
