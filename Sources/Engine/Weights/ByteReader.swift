/// A bounds-checked cursor over bytes, for parsing files that may be truncated or hostile.
///
/// Every read checks the remaining length first and throws `EngineError.format` naming
/// what was being read and at which offset, so a cut-off file gives a clear message
/// instead of a crash.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    /// Names the thing being parsed in error messages, e.g. "squeezenet.pkl".
    let context: String

    init(_ bytes: [UInt8], offset: Int = 0, context: String) {
        self.bytes = bytes
        self.offset = offset
        self.context = context
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset >= bytes.count }

    func failure(_ message: String) -> EngineError {
        .format("\(context): \(message) at byte \(offset)")
    }

    mutating func require(_ count: Int, _ what: String) throws {
        guard offset >= 0, count >= 0, count <= remaining else {
            throw failure("truncated: \(what) needs \(count) bytes, \(remaining) left")
        }
    }

    mutating func byte(_ what: String = "byte") throws -> UInt8 {
        try require(1, what)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func take(_ count: Int, _ what: String) throws -> ArraySlice<UInt8> {
        try require(count, what)
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func skip(_ count: Int, _ what: String) throws {
        try require(count, what)
        offset += count
    }

    /// Unsigned little-endian integer of `size` bytes (1...8).
    mutating func unsignedLE(_ size: Int, _ what: String) throws -> UInt64 {
        let slice = try take(size, what)
        var value: UInt64 = 0
        for (index, byte) in slice.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        return value
    }

    /// Signed little-endian integer of `size` bytes (1...8), two's complement.
    mutating func signedLE(_ size: Int, _ what: String) throws -> Int64 {
        let raw = try unsignedLE(size, what)
        if size == 8 { return Int64(bitPattern: raw) }
        let signBit: UInt64 = 1 << (8 * UInt64(size) - 1)
        return raw & signBit != 0 ? Int64(raw) - Int64(1) << (8 * Int64(size)) : Int64(raw)
    }

    /// An unsigned size or offset field, refused if it cannot be a real size (so converting it
    /// to `Int` and adding to it can never overflow).
    mutating func sizeField(_ size: Int, _ what: String) throws -> Int {
        let raw = try unsignedLE(size, what)
        guard raw <= UInt64(Int.max / 4) else { throw failure("\(what) of \(raw) is impossibly large") }
        return Int(raw)
    }

    /// A non-negative length that must fit in the remaining bytes (guards huge allocations).
    mutating func length(_ size: Int, _ what: String) throws -> Int {
        let raw = try unsignedLE(size, what)
        guard raw <= UInt64(remaining) else {
            throw failure("truncated: \(what) says \(raw) bytes, \(remaining) left")
        }
        return Int(raw)
    }

    /// Bytes up to (not including) the next newline, which is consumed.
    mutating func line(_ what: String) throws -> String {
        guard let end = bytes[offset...].firstIndex(of: 0x0A) else {
            throw failure("truncated: \(what) has no end of line")
        }
        defer { offset = end + 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }
}
