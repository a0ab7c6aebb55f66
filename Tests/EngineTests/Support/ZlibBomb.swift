/// A small zlib stream that inflates to a large run of zero bytes, for decompression-bomb tests.
///
/// RFC 1951 §3.2.6 (fixed Huffman codes): one final block of type 01 holding a literal 0 and
/// then back-references of length 258 at distance 1, each 13 bits (length symbol 285 is the
/// 8-bit code 11000101, distance symbol 0 the 5-bit code 00000, neither with extra bits), so
/// every 13 bits inflate to 258 bytes: about 1:160. Huffman codes are packed most significant
/// bit first, everything else least significant bit first (§3.1.1). RFC 1950 wraps it: header
/// 78 01 and the Adler-32 of the output, which for n zeros is a = 1, b = n mod 65521.
enum ZlibBomb {
    /// A zlib stream inflating to `1 + 258 * matches` zero bytes.
    static func zeros(matches: Int) -> [UInt8] {
        var writer = BitWriter()
        writer.write(1, bits: 1)            // BFINAL
        writer.write(1, bits: 2)            // BTYPE 01: fixed Huffman
        writer.writeCode(0x30, bits: 8)     // literal 0
        for _ in 0..<matches {
            writer.writeCode(0xC5, bits: 8) // length 258
            writer.writeCode(0, bits: 5)    // distance 1
        }
        writer.writeCode(0, bits: 7)        // end of block (symbol 256)
        let count = UInt32((1 + 258 * matches) % 65_521)
        let adler = count << 16 | 1
        return [0x78, 0x01] + writer.bytes + [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
    }

    private struct BitWriter {
        var bytes: [UInt8] = []
        private var used = 8

        /// Least significant bit first (header fields).
        mutating func write(_ value: Int, bits: Int) {
            for bit in 0..<bits { push((value >> bit) & 1) }
        }

        /// Most significant bit first (Huffman codes).
        mutating func writeCode(_ code: Int, bits: Int) {
            for bit in stride(from: bits - 1, through: 0, by: -1) { push((code >> bit) & 1) }
        }

        private mutating func push(_ bit: Int) {
            if used == 8 { bytes.append(0); used = 0 }
            bytes[bytes.count - 1] |= UInt8(bit) << UInt8(used)
            used += 1
        }
    }
}
