import Foundation

/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON
/// header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}`, then
/// the raw little-endian data. It holds no code at all, which is why ConvLens saves to it.
public enum Safetensors {
    /// Header sizes beyond this are refused (the format's reference reader uses 100 MB).
    static let maximumHeaderSize = 100_000_000

    public static func decode(_ bytes: [UInt8], source: String) throws -> NamedWeights {
        var reader = ByteReader(bytes, context: source)
        let headerSize = try reader.sizeField(8, "header length")
        guard headerSize <= maximumHeaderSize, headerSize <= reader.remaining else {
            throw EngineError.format("\(source): safetensors header of \(headerSize) bytes does not fit in the \(bytes.count)-byte file (truncated or not safetensors)")
        }
        let headerBytes = Data(try reader.take(headerSize, "header"))
        guard let header = (try? JSONSerialization.jsonObject(with: headerBytes)) as? [String: Any] else {
            throw EngineError.format("\(source): safetensors header is not a JSON object")
        }
        let dataStart = 8 + headerSize
        let dataLength = bytes.count - dataStart
        var entries: [(name: String, begin: Int, array: WeightArray)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let tag = info["dtype"] as? String,
                  let shape = wholeNumbers(info["shape"]), let offsets = wholeNumbers(info["data_offsets"]), offsets.count == 2 else {
                throw EngineError.format("\(source): safetensors entry '\(name)' lacks dtype, shape or data_offsets (as lists of whole numbers)")
            }
            guard let dtype = WeightDType(safetensors: tag) else {
                throw EngineError.format("\(source): safetensors entry '\(name)' has unsupported dtype \(tag)")
            }
            let count = CheckedArithmetic.product(shape) ?? -1
            guard count >= 0, offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataLength,
                  offsets[1] - offsets[0] == CheckedArithmetic.product([count, dtype.size]) else {
                throw EngineError.format("\(source): safetensors entry '\(name)' (shape \(shape), \(tag)) has data offsets \(offsets) that do not match its size or the file (\(dataLength) data bytes; truncated?)")
            }
            let values = dtype.decode(bytes, start: dataStart + offsets[0], count: count)
            entries.append((name, offsets[0], try WeightArray(shape: shape, values: values)))
        }
        var weights = NamedWeights(source: source)
        for entry in entries.sorted(by: { $0.begin < $1.begin }) { weights.set(entry.name, entry.array) }
        return weights
    }

    /// Whole numbers within ±2^53 (where the Double that JSONSerialization may hold them in is
    /// exact), or nil for anything else in the list. `NSNumber.intValue` would turn 1e300 into
    /// Int.min and the offset arithmetic would then trap; the fuzzer found exactly that.
    private static func wholeNumbers(_ value: Any?) -> [Int]? {
        guard let items = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in items {
            guard let number = item as? NSNumber else { return nil }
            let double = number.doubleValue
            guard double == double.rounded(), abs(double) <= 9_007_199_254_740_992 else { return nil }
            result.append(Int(double))
        }
        return result
    }

    /// Encodes arrays as F32 in the order given; metadata goes to `__metadata__`.
    public static func encode(_ arrays: [(name: String, array: WeightArray)], metadata: [String: String] = [:]) throws -> [UInt8] {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for (name, array) in arrays {
            guard header[name] == nil, name != "__metadata__" else {
                throw EngineError.invalid("safetensors: duplicate or reserved tensor name '\(name)'")
            }
            header[name] = ["dtype": "F32", "shape": array.shape, "data_offsets": [offset, offset + array.count * 4]] as [String: Any]
            offset += array.count * 4
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        while json.count % 8 != 0 { json.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + json.count + offset)
        let size = UInt64(json.count)
        for shift in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: size >> (8 * UInt64(shift)))) }
        bytes.append(contentsOf: json)
        for (_, array) in arrays {
            array.values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// Writes arrays to a file (atomically: a partial file never replaces a good one).
    public static func write(_ arrays: [(name: String, array: WeightArray)], to path: String, metadata: [String: String] = [:]) throws {
        try BoundedFile.write(Data(try encode(arrays, metadata: metadata)), to: path)
    }
}
