import Engine

/// Mutates file bytes for the file fuzzer, from a seeded generator so every run tries the same
/// inputs: a failure found once is found again, on every machine.
///
/// The edits are the classic ones of mutation fuzzers (AFL's havoc stage): bit flips, bytes set
/// to boundary values, multi-byte fields set to huge or negative values in either byte order,
/// truncation, deletion, duplication of a chunk of the file, insertion of random bytes, and
/// insertion or overwrite of format-specific tokens (a "dictionary": marker bytes, opcodes,
/// JSON numbers) that random bytes would almost never spell.
struct ByteMutator {
    var random: SeededRandom

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    static let interestingBytes: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF]
    /// Values for 2-, 4- and 8-byte fields: sizes, counts and offsets that overflow, wrap or
    /// point far outside the file.
    static let interestingFields: [UInt64] = [
        0, 1, 0x7F, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF,
    ]

    mutating func integer(below bound: Int) -> Int {
        bound <= 1 ? 0 : random.integer(in: 0..<bound)
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[integer(below: items.count)]
    }

    /// `bytes` after one to four random edits (half the time one: each edit is likely to make
    /// the file unreadable early, and single edits reach deepest); `dictionary` holds the
    /// format's tokens.
    mutating func mutate(_ bytes: [UInt8], dictionary: [[UInt8]] = []) -> [UInt8] {
        var result = bytes
        for _ in 0..<pick([1, 1, 1, 1, 2, 2, 3, 4]) {
            edit(&result, dictionary: dictionary)
        }
        return result
    }

    /// Text with one token replaced: a number (a run of digits, '-', '.', 'e', '+') by one of
    /// `numbers`, or a quoted string's contents by one of `strings`. Keeps JSON and Python
    /// literals well-formed, so the mutant reaches the checks of shapes, types and offsets.
    mutating func replaceToken(in text: [UInt8], numbers: [String], strings: [String]) -> [UInt8]? {
        let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'")
        var numberRuns: [Range<Int>] = [], stringRuns: [Range<Int>] = []
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == quote || byte == apostrophe {
                guard let close = text[(index + 1)...].firstIndex(of: byte) else { break }
                stringRuns.append((index + 1)..<close)
                index = close + 1
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") {
                var end = index
                while end < text.count, "0123456789-+.eE".utf8.contains(text[end]) { end += 1 }
                numberRuns.append(index..<end)
                index = end
            } else {
                index += 1
            }
        }
        let useNumber = !numberRuns.isEmpty && (stringRuns.isEmpty || integer(below: 2) == 0)
        guard useNumber || !stringRuns.isEmpty else { return nil }
        var result = text
        if useNumber {
            result.replaceSubrange(pick(numberRuns), with: Array(pick(numbers).utf8))
        } else {
            result.replaceSubrange(pick(stringRuns), with: Array(pick(strings).utf8))
        }
        return result
    }

    private mutating func edit(_ bytes: inout [UInt8], dictionary: [[UInt8]]) {
        let position = integer(below: bytes.count)
        switch integer(below: 10) {
        case 0 where !bytes.isEmpty:
            bytes[position] ^= 1 << UInt8(integer(below: 8))
        case 1 where !bytes.isEmpty:
            bytes[position] = pick(ByteMutator.interestingBytes)
        case 2 where !bytes.isEmpty:
            let size = pick([2, 4, 8])
            let value = pick(ByteMutator.interestingFields)
            let bigEndian = integer(below: 2) == 0
            for index in 0..<min(size, bytes.count - position) {
                let shift = bigEndian ? size - 1 - index : index
                bytes[position + index] = UInt8(truncatingIfNeeded: value >> UInt64(8 * shift))
            }
        case 3:
            bytes.removeSubrange(position..<bytes.count)
        case 4 where !bytes.isEmpty:
            let length = min(1 + integer(below: 32), bytes.count - position)
            bytes.removeSubrange(position..<(position + length))
        case 5 where !bytes.isEmpty:
            // A chunk of the file copied elsewhere: repeated headers, segments, records.
            let length = min(1 + integer(below: 256), bytes.count - position)
            let chunk = Array(bytes[position..<(position + length)])
            bytes.insert(contentsOf: chunk, at: integer(below: bytes.count + 1))
        case 6:
            let inserted = (0..<(1 + integer(below: 16))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            bytes.insert(contentsOf: inserted, at: integer(below: bytes.count + 1))
        case 7 where !dictionary.isEmpty:
            bytes.insert(contentsOf: pick(dictionary), at: integer(below: bytes.count + 1))
        case 8 where !dictionary.isEmpty && !bytes.isEmpty:
            let token = pick(dictionary)
            for (index, byte) in token.enumerated() where position + index < bytes.count { bytes[position + index] = byte }
        default:
            if !bytes.isEmpty {
                for index in position..<min(bytes.count, position + 1 + integer(below: 8)) {
                    bytes[index] = UInt8(truncatingIfNeeded: random.next())
                }
            }
        }
    }
}
