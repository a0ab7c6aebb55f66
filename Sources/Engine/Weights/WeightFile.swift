import Foundation

/// Loads a weight file of any supported format, chosen by its contents, not its name:
/// torch checkpoints (zip or legacy), plain pickles (e.g. dicts of numpy arrays) and
/// safetensors.
public enum WeightFile {
    /// Files above this size are refused before reading (no network of this course is near it).
    public static let maximumSize = 2_000_000_000

    public static func load(path: String) throws -> NamedWeights {
        let bytes = try readBytes(path: path, limit: maximumSize)
        return try decode(bytes, source: (path as NSString).lastPathComponent)
    }

    public static func decode(_ bytes: [UInt8], source: String) throws -> NamedWeights {
        guard !bytes.isEmpty else { throw EngineError.format("\(source): the file is empty") }
        if ZipArchive.looksLikeZip(bytes) || TorchCheckpoint.isLegacy(bytes) {
            return try TorchCheckpoint.load(bytes, source: source)
        }
        if bytes[0] == 0x80 { // a pickle protocol 2+ header
            var unpickler = Unpickler(reader: ByteReader(bytes, context: source))
            defer { unpickler.dismantle() }
            var weights = NamedWeights(source: source)
            try weights.collect(try unpickler.load(), prefix: "")
            guard weights.count > 0 else { throw EngineError.format("\(source): the pickle holds no arrays") }
            return weights
        }
        if bytes.count >= 9, bytes[8] == UInt8(ascii: "{") {
            return try Safetensors.decode(bytes, source: source)
        }
        throw EngineError.format("\(source): not a weight file (expected a torch checkpoint, a pickle or safetensors)")
    }

    /// Reads a whole file, refusing ones larger than `limit` with a clear message.
    static func readBytes(path: String, limit: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw EngineError.io(exists ? (isDirectory.boolValue ? "\(path) is a directory" : "cannot open \(path) (permission?)")
                                        : "no such file: \(path)")
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limit else { throw EngineError.io("\(path) is \(size) bytes, more than the \(limit) allowed") }
        do {
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw EngineError.io("cannot read \(path): \(error.localizedDescription)")
        }
    }
}
