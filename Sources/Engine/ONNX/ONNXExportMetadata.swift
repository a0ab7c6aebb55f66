import Foundation

/// What a ConvLens network is besides its computation, kept in an ONNX file's
/// `ModelProto.metadata_props` (onnx.proto: "named metadata values; keys should be distinct"),
/// since ONNX has no field for it: the input convention, the class names, and the grouping of
/// nodes into the layers a user picks by name. `ONNXExport` writes it; `ONNXImporter` reads it
/// back, so a saved network re-imports without the caller restating its convention.
///
/// Each value is JSON. Keys are prefixed "convlens." so that they never clash with another
/// producer's metadata; a file without them imports as any other ONNX file.
public enum ONNXExportMetadata {
    /// `{"height", "width", "order" ("rgb"|"bgr"|"gray"), "scale", "mean", "std", "resize_shorter_side"}`.
    static let inputKey = "convlens.input"
    /// A JSON list of class names, indexed like the output.
    static let classesKey = "convlens.classes"
    /// A JSON object: ONNX node name -> the layer it belongs to.
    static let layersKey = "convlens.layers"
    /// A JSON object: layer -> its description in `layers(net)` ("fire 16->64+64").
    static let layerKindsKey = "convlens.layer_kinds"

    /// The input convention as a file states it (every part present once the key is).
    public struct StatedConvention: Equatable, Sendable {
        public var height: Int
        public var width: Int
        public var channelOrder: InputConvention.ChannelOrder
        public var scale: Float
        public var mean: [Float]
        public var std: [Float]
        public var resizeShorterSide: Int
        /// nil when the file has no class list.
        public var classNames: [String]?
    }

    private struct Input: Codable {
        var height: Int
        var width: Int
        var order: String
        var scale: Float
        var mean: [Float]
        var std: [Float]
        var resize_shorter_side: Int
    }

    /// The metadata entries for `convention`, the layer of each ONNX node (`layers`) and the
    /// graph's layer descriptions, sorted by key so that the same network gives the same bytes.
    static func entries(convention: InputConvention, layers: [String: String], layerKinds: [String: String]) throws -> [(key: String, value: String)] {
        let input = Input(height: convention.height, width: convention.width, order: convention.channelOrder.rawValue,
                          scale: convention.scale, mean: convention.mean, std: convention.std,
                          resize_shorter_side: convention.resizeShorterSide)
        var result = [(key: inputKey, value: try json(input)), (key: layersKey, value: try json(layers))]
        if !convention.classNames.isEmpty { result.append((classesKey, try json(convention.classNames))) }
        if !layerKinds.isEmpty { result.append((layerKindsKey, try json(layerKinds))) }
        return result.sorted { $0.key < $1.key }
    }

    /// The convention `metadata` states, nil when it states none. Throws `EngineError.format`
    /// naming `source` and the key when a value is not the JSON ConvLens writes, and
    /// `.invalid` when the convention itself is impossible (a zero std, a size of 0).
    public static func convention(in metadata: [String: String], source: String) throws -> StatedConvention? {
        guard let text = metadata[inputKey] else { return nil }
        let input: Input = try decode(text, key: inputKey, source: source)
        guard let order = InputConvention.ChannelOrder(rawValue: input.order) else {
            throw EngineError.format("\(source): metadata '\(inputKey)' has channel order '\(input.order)'; expected rgb, bgr or gray")
        }
        do {
            // Checked as a convention now, so a bad file is refused before any weight is decoded.
            _ = try InputConvention(height: input.height, width: input.width, channelOrder: order, scale: input.scale,
                                    mean: input.mean, std: input.std, resizeShorterSide: input.resize_shorter_side)
        } catch EngineError.invalid(let message) {
            throw EngineError.invalid("\(source): metadata '\(inputKey)': \(message)")
        }
        let classes: [String]? = try metadata[classesKey].map { try decode($0, key: classesKey, source: source) }
        return StatedConvention(height: input.height, width: input.width, channelOrder: order, scale: input.scale,
                                mean: input.mean, std: input.std, resizeShorterSide: input.resize_shorter_side, classNames: classes)
    }

    /// The saved layer of each ONNX node and the layer descriptions; nil when the file has none.
    static func layers(in metadata: [String: String], source: String) throws -> (layers: [String: String], kinds: [String: String])? {
        guard let text = metadata[layersKey] else { return nil }
        let layers: [String: String] = try decode(text, key: layersKey, source: source)
        let kinds: [String: String] = try metadata[layerKindsKey].map { try decode($0, key: layerKindsKey, source: source) } ?? [:]
        return (layers, kinds)
    }

    private static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ text: String, key: String, source: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw EngineError.format("\(source): metadata '\(key)' is not the JSON ConvLens writes (\(String(describing: error).prefix(200)))")
        }
    }
}
