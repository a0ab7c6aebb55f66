@testable import Engine

/// Legacy-format torch checkpoints written opcode by opcode, for hostile-file tests: one
/// FloatStorage (key "0") and a main pickle the test composes from `tensor` views on it.
///
/// Layout (see `TorchCheckpoint`): the magic-number pickle, protocol version 1001, system
/// info, the main pickle, the storage-key list, then the storage as an int64 element count and
/// its little-endian floats. Opcodes as in CPython's Lib/pickletools.py.
enum TestTorchFile {
    static func littleEndian(_ value: Int, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// BINUNICODE.
    static func string(_ text: String) -> [UInt8] {
        [0x58] + littleEndian(text.utf8.count, bytes: 4) + Array(text.utf8)
    }

    /// BININT (signed 32-bit).
    static func int(_ value: Int32) -> [UInt8] {
        [0x4A] + littleEndian(Int(UInt32(bitPattern: value)), bytes: 4)
    }

    /// `_rebuild_tensor_v2(storage "0" (`storageCount` floats), offset, shape, strides)`.
    static func tensor(storageCount: Int32, offset: Int32, shape: [Int32], strides: [Int32]) -> [UInt8] {
        var bytes = Array("ctorch._utils\n_rebuild_tensor_v2\n(".utf8)
        bytes += [0x28] + string("storage") + Array("ctorch\nFloatStorage\n".utf8) + string("0") + string("cpu") + int(storageCount)
        bytes += Array("tQ".utf8)                                  // the persistent id tuple, BINPERSID
        bytes += int(offset)
        bytes += [0x28] + shape.flatMap(int) + [0x74]               // MARK ... TUPLE
        bytes += [0x28] + strides.flatMap(int) + [0x74]
        return bytes + Array("tR".utf8)                            // the arguments tuple, REDUCE
    }

    /// A whole checkpoint: `main` is the body of the main pickle (after PROTO, before STOP).
    static func checkpoint(main: [UInt8], storage: [Float]) -> [UInt8] {
        var bytes = TorchCheckpoint.legacyMagic
        bytes += [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E]                  // 1001
        bytes += [0x80, 0x02, 0x7D, 0x2E]                              // system info: {}
        bytes += [0x80, 0x02] + main + [0x2E]
        bytes += [0x80, 0x02, 0x5D, 0x28] + string("0") + [0x65, 0x2E] // ["0"]
        bytes += littleEndian(storage.count, bytes: 8)
        for value in storage { bytes += littleEndian(Int(value.bitPattern), bytes: 4) }
        return bytes
    }
}
