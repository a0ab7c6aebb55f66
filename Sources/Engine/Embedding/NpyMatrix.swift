import Foundation

/// A 1-D or 2-D numeric array in NumPy's .npy format (version 1/2/3, C order), read as Float.
///
/// Why it lives here: the t-SNE benchmark exchanges points with Python through .npy files, and
/// no other reader existed when it was written. Supports little-endian f4, f8, i4, i8, u1.
public struct NpyMatrix: Equatable, Sendable {
    public var rows: Int
    public var columns: Int
    public var values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public static func read(path: String) throws -> NpyMatrix {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EmbeddingError.unreadableNpy(path: path, reason: "file not found or unreadable")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw EmbeddingError.unreadableNpy(path: path, reason: "missing the \\x93NUMPY magic")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else {
            guard bytes.count >= 12 else { throw EmbeddingError.unreadableNpy(path: path, reason: "truncated header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        }
        guard headerStart + headerLength <= bytes.count,
              let header = String(bytes: bytes[headerStart..<headerStart + headerLength], encoding: .utf8) else {
            throw EmbeddingError.unreadableNpy(path: path, reason: "truncated header")
        }
        guard !header.contains("'fortran_order': True") else {
            throw EmbeddingError.unreadableNpy(path: path, reason: "Fortran order is not supported; save a C-order array")
        }
        let descr = try field("descr", in: header, path: path)
        let shapeText = try field("shape", in: header, path: path)
        let shape = shapeText.split(whereSeparator: { $0 == "," || $0 == "(" || $0 == ")" || $0 == " " })
            .compactMap { Int($0) }
        guard shape.count == 1 || shape.count == 2 else {
            throw EmbeddingError.unreadableNpy(path: path, reason: "expected a 1-D or 2-D array, shape \(shapeText)")
        }
        let rows = shape[0], columns = shape.count == 2 ? shape[1] : 1
        let count = rows * columns
        let body = headerStart + headerLength
        let values: [Float]
        switch descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")) {
        case "<f4": values = try decode(bytes, at: body, count: count, width: 4, path: path) { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }
        case "<f8": values = try decode(bytes, at: body, count: count, width: 8, path: path) { Float(Double(bitPattern: $0)) }
        case "<i4": values = try decode(bytes, at: body, count: count, width: 4, path: path) { Float(Int32(truncatingIfNeeded: $0)) }
        case "<i8": values = try decode(bytes, at: body, count: count, width: 8, path: path) { Float(Int64(bitPattern: $0)) }
        case "|u1": values = try decode(bytes, at: body, count: count, width: 1, path: path) { Float($0) }
        default:
            throw EmbeddingError.unreadableNpy(path: path, reason: "unsupported dtype \(descr)")
        }
        return NpyMatrix(rows: rows, columns: columns, values: values)
    }

    /// Writes a little-endian float32 C-order 2-D array (version 1.0 header padded to 64 bytes).
    public func write(path: String) throws {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = header.utf8.count
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + 4 * values.count)
        for value in values {
            let bits = value.bitPattern
            bytes += [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw EmbeddingError.unreadableNpy(path: path, reason: "cannot create the file")
        }
    }

    private static func field(_ name: String, in header: String, path: String) throws -> String {
        guard let key = header.range(of: "'\(name)':") else {
            throw EmbeddingError.unreadableNpy(path: path, reason: "header has no \(name)")
        }
        let rest = header[key.upperBound...]
        if name == "shape", let close = rest.firstIndex(of: ")") { return String(rest[..<rest.index(after: close)]) }
        return String(rest.prefix { $0 != "," })
    }

    private static func decode(_ bytes: [UInt8], at offset: Int, count: Int, width: Int, path: String,
                               convert: (UInt64) -> Float) throws -> [Float] {
        guard offset + count * width <= bytes.count else {
            throw EmbeddingError.unreadableNpy(path: path, reason: "expected \(count) values, file is too short")
        }
        return (0..<count).map { index in
            var bits: UInt64 = 0
            for byte in 0..<width { bits |= UInt64(bytes[offset + index * width + byte]) << (8 * byte) }
            return convert(bits)
        }
    }
}
