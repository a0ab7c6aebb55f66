/// A minimal reader of uncompressed ("stored") zip archives, as written by `torch.save`.
///
/// PyTorch's zip checkpoints store every entry without compression so tensors can be read
/// in place; a deflated entry is reported as unsupported rather than misread.
struct ZipArchive {
    struct Entry {
        let name: String
        let method: Int
        let compressedSize: Int
        let size: Int
        let localHeaderOffset: Int
    }

    let bytes: [UInt8]
    let entries: [Entry]
    let context: String

    static func looksLikeZip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04
    }

    init(bytes: [UInt8], context: String) throws {
        self.bytes = bytes
        self.context = context
        // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
        let searchStart = max(0, bytes.count - 65_557)
        var end: Int?
        var position = bytes.count - 22
        while position >= searchStart {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4B, bytes[position + 2] == 0x05, bytes[position + 3] == 0x06 {
                end = position
                break
            }
            position -= 1
        }
        guard let end else { throw EngineError.format("\(context): zip archive has no end record (truncated?)") }
        var reader = ByteReader(bytes, offset: end + 10, context: context)
        var count = Int(try reader.unsignedLE(2, "entry count"))
        _ = try reader.unsignedLE(4, "directory size")
        var directory = Int(try reader.unsignedLE(4, "directory offset"))
        if count == 0xFFFF || directory == 0xFFFF_FFFF {
            // Zip64: the locator 20 bytes before the end record points at the zip64 end record.
            var locator = ByteReader(bytes, offset: end - 20, context: context)
            guard try locator.unsignedLE(4, "zip64 locator") == 0x0706_4b50 else {
                throw EngineError.format("\(context): zip64 archive without a zip64 locator")
            }
            _ = try locator.unsignedLE(4, "disk")
            var record = ByteReader(bytes, offset: try locator.sizeField(8, "zip64 end offset") + 32, context: context)
            count = try record.sizeField(8, "zip64 entry count")
            _ = try record.unsignedLE(8, "zip64 directory size")
            directory = try record.sizeField(8, "zip64 directory offset")
        }
        var entries: [Entry] = []
        var cursor = ByteReader(bytes, offset: directory, context: context)
        for _ in 0..<count {
            guard try cursor.unsignedLE(4, "directory entry") == 0x0201_4b50 else {
                throw EngineError.format("\(context): zip directory entry \(entries.count) is corrupt")
            }
            try cursor.skip(6, "versions and flags")
            let method = Int(try cursor.unsignedLE(2, "method"))
            try cursor.skip(8, "time and crc")
            var compressed = Int(try cursor.unsignedLE(4, "compressed size"))
            var size = Int(try cursor.unsignedLE(4, "size"))
            let nameLength = Int(try cursor.unsignedLE(2, "name length"))
            let extraLength = Int(try cursor.unsignedLE(2, "extra length"))
            let commentLength = Int(try cursor.unsignedLE(2, "comment length"))
            try cursor.skip(8, "disk and attributes")
            var local = Int(try cursor.unsignedLE(4, "local header offset"))
            let name = String(decoding: try cursor.take(nameLength, "name"), as: UTF8.self)
            var extra = ByteReader(Array(try cursor.take(extraLength, "extra field")), context: context)
            while extra.remaining >= 4 {
                let tag = try extra.unsignedLE(2, "extra tag"), length = Int(try extra.unsignedLE(2, "extra length"))
                guard tag == 1 else { try extra.skip(length, "extra data"); continue }
                if size == 0xFFFF_FFFF { size = try extra.sizeField(8, "zip64 size") }
                if compressed == 0xFFFF_FFFF { compressed = try extra.sizeField(8, "zip64 compressed size") }
                if local == 0xFFFF_FFFF { local = try extra.sizeField(8, "zip64 offset") }
                break
            }
            try cursor.skip(commentLength, "comment")
            entries.append(Entry(name: name, method: method, compressedSize: compressed, size: size, localHeaderOffset: local))
        }
        self.entries = entries
    }

    /// The bytes of a stored entry.
    func data(of entry: Entry) throws -> [UInt8] {
        guard entry.method == 0 else {
            throw EngineError.unsupported("\(context): zip entry '\(entry.name)' is compressed (method \(entry.method)); only stored entries are read")
        }
        var reader = ByteReader(bytes, offset: entry.localHeaderOffset, context: context)
        guard try reader.unsignedLE(4, "local header") == 0x0403_4b50 else {
            throw EngineError.format("\(context): zip entry '\(entry.name)' has a corrupt local header")
        }
        try reader.skip(22, "local header fields")
        let nameLength = Int(try reader.unsignedLE(2, "name length"))
        let extraLength = Int(try reader.unsignedLE(2, "extra length"))
        try reader.skip(nameLength + extraLength, "local name and extra")
        return Array(try reader.take(entry.size, "data of '\(entry.name)'"))
    }

    func entry(named name: String) -> Entry? { entries.first { $0.name == name } }
}
