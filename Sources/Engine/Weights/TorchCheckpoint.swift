/// Reads `torch.save` files, both the zip format (PyTorch >= 1.6) and the legacy format,
/// without Python and without running any code (see `Unpickler`).
///
/// Legacy layout: five pickles in a row (magic number, protocol version, system info, the
/// object, the list of storage keys), then each storage as an int64 element count followed
/// by its raw little-endian bytes, in key-list order.
/// Zip layout: `<folder>/data.pkl` holds the object, `<folder>/data/<key>` each storage.
enum TorchCheckpoint {
    /// The legacy format's first pickle: protocol 2, LONG1 0x1950a86a20f9469cfc6c, STOP.
    static let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]

    static func isLegacy(_ bytes: [UInt8]) -> Bool {
        bytes.count >= legacyMagic.count && Array(bytes[0..<legacyMagic.count]) == legacyMagic
    }

    static func load(_ bytes: [UInt8], source: String) throws -> NamedWeights {
        if ZipArchive.looksLikeZip(bytes) { return try loadZip(bytes, source: source) }
        if isLegacy(bytes) { return try loadLegacy(bytes, source: source) }
        throw EngineError.format("\(source): not a torch checkpoint (neither zip nor legacy magic number)")
    }

    /// Makes a storage from a persistent id ('storage', storage_type, key, location, numel[, view]).
    private static func storage(from id: PickleValue, registry: StorageRegistry, source: String) throws -> PickleValue {
        guard let fields = id.asSequence, fields.count >= 4, fields[0].asString == "storage",
              case .global(_, let typeName) = fields[1], let key = fields[2].asString ?? fields[2].asInt.map(String.init) else {
            throw EngineError.format("\(source): unexpected persistent id \(id.kindName) (expected a torch storage)")
        }
        guard let dtype = WeightDType(torchStorage: typeName) else {
            throw EngineError.format("\(source): storage type torch.\(typeName) is not supported")
        }
        if let existing = registry.storages[key] { return .storage(existing) }
        let reference = TorchStorageReference(key: key, dtype: dtype, declaredCount: fields.count > 4 ? fields[4].asInt : nil)
        registry.storages[key] = reference
        return .storage(reference)
    }

    private final class StorageRegistry {
        var storages: [String: TorchStorageReference] = [:]
    }

    private static func loadLegacy(_ bytes: [UInt8], source: String) throws -> NamedWeights {
        let registry = StorageRegistry()
        var reader = ByteReader(bytes, offset: legacyMagic.count, context: source)
        var plain = Unpickler(reader: reader)
        defer { plain.dismantle() }
        guard case .int(1001)? = try? plain.load() else {
            throw EngineError.format("\(source): legacy torch file with an unknown protocol version")
        }
        _ = try plain.load() // system info: byte order and type sizes (little-endian assumed, checked below)
        var main = Unpickler(reader: ByteReader(bytes, offset: plain.offset, context: source)) { id in
            try storage(from: id, registry: registry, source: source)
        }
        defer { main.dismantle() }
        let object = try main.load()
        var keysPickle = Unpickler(reader: ByteReader(bytes, offset: main.offset, context: source))
        defer { keysPickle.dismantle() }
        guard let keys = try keysPickle.load().asSequence?.compactMap({ $0.asString }) else {
            throw EngineError.format("\(source): legacy torch file without its storage key list")
        }
        reader = ByteReader(bytes, offset: keysPickle.offset, context: source)
        for key in keys {
            guard let reference = registry.storages[key] else {
                throw EngineError.format("\(source): storage key \(key) is listed but never used")
            }
            let count = Int(try reader.signedLE(8, "element count of storage \(key)"))
            guard count >= 0 else { throw reader.failure("storage \(key) has a negative size") }
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: reference.dtype.size)
            guard !overflow else { throw reader.failure("storage \(key) is impossibly large") }
            reference.bytes = Array(try reader.take(byteCount, "data of storage \(key)"))
        }
        var weights = NamedWeights(source: source)
        try weights.collect(object, prefix: "", fileSize: bytes.count)
        return weights
    }

    private static func loadZip(_ bytes: [UInt8], source: String) throws -> NamedWeights {
        let archive = try ZipArchive(bytes: bytes, context: source)
        guard let pickleEntry = archive.entries.first(where: { $0.name.hasSuffix("data.pkl") }) else {
            throw EngineError.format("\(source): zip file without data.pkl; not a torch checkpoint")
        }
        let folder = String(pickleEntry.name.dropLast("data.pkl".count))
        let registry = StorageRegistry()
        var unpickler = Unpickler(reader: ByteReader(try archive.data(of: pickleEntry), context: "\(source):data.pkl")) { id in
            try storage(from: id, registry: registry, source: source)
        }
        defer { unpickler.dismantle() }
        let object = try unpickler.load()
        for (key, reference) in registry.storages {
            guard let entry = archive.entry(named: "\(folder)data/\(key)") else {
                throw EngineError.format("\(source): storage \(key) is missing from the archive")
            }
            reference.bytes = try archive.data(of: entry)
        }
        var weights = NamedWeights(source: source)
        try weights.collect(object, prefix: "", fileSize: bytes.count)
        return weights
    }
}
