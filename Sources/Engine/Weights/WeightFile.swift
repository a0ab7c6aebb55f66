import Foundation

/// Loads a weight file of any supported format, chosen by its contents, not its name:
/// torch checkpoints (zip or legacy), plain pickles (e.g. dicts of numpy arrays) and
/// safetensors.
public enum WeightFile {
    /// Reads the regular file at `path` (at most `BoundedFile.Kind.weights.limit` bytes) and decodes it.
    public static func load(path: String) throws -> NamedWeights {
        let bytes = try BoundedFile.read(path, as: .weights)
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
            try weights.collect(try unpickler.load(), prefix: "", fileSize: bytes.count)
            guard weights.count > 0 else { throw EngineError.format("\(source): the pickle holds no arrays") }
            return weights
        }
        if bytes.count >= 9, bytes[8] == UInt8(ascii: "{") {
            return try Safetensors.decode(bytes, source: source)
        }
        throw EngineError.format("\(source): not a weight file (expected a torch checkpoint, a pickle or safetensors)")
    }
}
