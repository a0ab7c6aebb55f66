import Engine
import Foundation

/// The input convention `model("file.onnx", ...)` takes, since ONNX files state none:
/// size, channel order, pixel scale, mean, std and class names, ImageNet's by default.
enum ONNXModelOptions {
    static let parameters: [Parameter] = [
        Parameter("size", .integer, default: Value.none, range: .closed(1, 4096),
                  doc: "input height and width of an .onnx network in pixels (default: the file's, else 224)"),
        Parameter("mean", .either(.number, .list), default: Value.none,
                  doc: "per-channel mean subtracted, in units of scale, in the network's channel order (default ImageNet's [0.485, 0.456, 0.406])"),
        Parameter("std", .either(.number, .list), default: Value.none,
                  doc: "per-channel standard deviation divided by (default ImageNet's [0.229, 0.224, 0.225])"),
        Parameter("order", .choice(["rgb", "bgr", "gray"]), default: Value.none, doc: "channel order of the network's input (default \"rgb\")"),
        Parameter("scale", .number, default: Value.none, range: .closed(1, 255),
                  doc: "pixel range the network was trained on: 1 (0...1) or 255 (0...255); default 1"),
        Parameter("classes", .either(.string, .list), default: Value.none,
                  doc: "class names: a text file with one per line, or a list (default: ImageNet's for 1000 outputs)"),
    ]

    private static var names: [String] { parameters.map(\.name) }

    /// The options only mean something for ONNX files: the built-in networks state their convention.
    static func refuseForBuiltins(_ call: Invocation) throws {
        if let given = names.first(where: call.isGiven) {
            throw call.error(given, "'\(given)' applies to .onnx files only; the built-in networks and weight files carry their own input convention")
        }
    }

    /// Imports the file with the given convention (what is not given comes from the file's
    /// metadata when ConvLens saved it, else ImageNet's), printing which parts were assumed;
    /// loaded once per session for the same file and options.
    static func load(_ path: String, call: Invocation) throws -> ModelValue {
        let resolved = (path as NSString).expandingTildeInPath
        func numbers(_ name: String) throws -> [Float]? {
            switch call.value(name) {
            case .none: return nil
            case .number(let value): return [Float(value)]
            case .list(let items):
                return try items.map { item in
                    guard case .number(let value) = item else { throw call.error(name, .type, "\(name) must be a number or a list of numbers") }
                    return Float(value)
                }
            default: throw call.error(name, .type, "\(name) must be a number or a list of numbers")
            }
        }
        var order: InputConvention.ChannelOrder?
        if case .string(let word) = call.value("order") { order = InputConvention.ChannelOrder(rawValue: word) }
        var scale: Float?
        if case .number(let value) = call.value("scale") {
            guard value == 1 || value == 255 else { throw call.error("scale", "scale must be 1 (pixels 0...1) or 255 (pixels 0...255), got \(NumberRange.format(value))") }
            scale = Float(value)
        }
        let mean = try numbers("mean")
        let std = try numbers("std")
        let size = call.isGiven("size") ? try call.integer("size") : nil
        let classNames = try classes(call)
        let options = ONNXImporter.Options(name: ((resolved as NSString).lastPathComponent as NSString).deletingPathExtension,
                                           size: size, channelOrder: order, scale: scale, mean: mean, std: std,
                                           classNames: classNames)
        func text<T>(_ value: T?) -> String { value.map { "\($0)" } ?? "-" }
        let key = "onnx:\(resolved)|\(text(size))|\(text(order))|\(text(scale))|\(text(mean))|\(text(std))|\(classNames ?? ["<default>"])"
        if let cached = call.session.caches[key] as? ModelValue { return cached }
        let imported: ONNXImporter.Imported
        do {
            imported = try ModelZoo.loadONNX(resolved, options: options, key: key)
        } catch EngineError.cancelled {
            throw EngineError.cancelled
        } catch EngineError.io(let message) {
            throw call.error("name_or_path", .io, message)
        } catch let error as EngineError {
            throw call.error("name_or_path", .io, "cannot import '\(path)': \(error.description)")
        }
        if !imported.assumed.isEmpty {
            call.session.output.write("\(imported.network.name): assumed ImageNet's input convention for \(imported.assumed.joined(separator: "; ")) "
                + "(pass order:, scale:, mean:, std: to model() to change it)\n", toStandardError: false)
        }
        let model = ModelValue(network: imported.network, source: path)
        call.session.caches[key] = model
        return model
    }

    private static func classes(_ call: Invocation) throws -> [String]? {
        switch call.value("classes") {
        case .none: return nil
        case .string(let file):
            let path = (file as NSString).expandingTildeInPath
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw call.error("classes", .io, "cannot read the class names file '\(file)'")
            }
            return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .list(let items):
            return try items.map { item in
                guard case .string(let name) = item else { throw call.error("classes", .type, "classes must be a list of strings") }
                return name
            }
        default: throw call.error("classes", .type, "classes must be a file path or a list of strings")
        }
    }
}
