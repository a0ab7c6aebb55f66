import Engine
import Foundation

/// `save`: the numbers behind every value, or its picture, written to a file.
enum FileBuiltins {
    static let family = "Files"

    static var all: [Builtin] { [save] }

    static let save = Builtin(
        "save", family: family,
        parameters: [
            Parameter("value", .any, doc: "what to save: a picture, map, tensor, table, list, number or network"),
            Parameter("path", .path, doc: "the file; its extension (.npy, .png, .csv, .json, .onnx, .safetensors) picks the format"),
        ],
        returns: "none",
        summary: "Writes a value to a file: numbers as .npy, pictures as .png, tables as .csv or .json, networks as .onnx or .safetensors.",
        paragraph: "The numbers behind every picture stay with it: a saliency map or activation saved as .npy "
            + "holds the values at the resolution they were computed, before normalization and colouring "
            + "(load with numpy.load). .png writes the picture as shown (a drawing at 2x its size, "
            + "the pixels a high-DPI screen gets; a photo at its own size); .csv and .json write tables. A network saved as "
            + ".onnx (opset 17) runs in onnxruntime and other ONNX tools, and model(\"f.onnx\") reads it back with its input "
            + "convention, class names and layers; .safetensors holds its weights only, read back with model(\"f.safetensors\", like: net).",
        example: "save(classify(model(), image(\"chelsea\")), \"top5.csv\")\nsave([1, 2, 3], \"numbers.npy\")\nsave(model(\"squeezenet\"), \"squeezenet.onnx\")"
    ) { call in
        let path = try call.string("path")
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        let value = call.value("value")
        let data: Data
        switch url.pathExtension.lowercased() {
        case "npy":
            let size = estimatedCount(of: value)
            guard size <= maximumItems else {
                throw call.error("value", "about \(size) numbers are too many to save (at most \(maximumItems))")
            }
            guard let (shape, numbers) = numbers(of: value) else {
                throw call.error("value", .type, "\(value.typeName) has no array of numbers to save as .npy",
                                 hint: "save numbers, lists of numbers, numeric tables, tensors or pictures")
            }
            data = try NpyArray(shape: shape, values: numbers).encoded()
        case "png":
            if case .engine(.picture(let picture)) = value {
                data = try picture.savedPNGData()
                break
            }
            guard case .engine(let engineValue) = value, let png = try engineValue.pngData() else {
                throw call.error("value", .type, "\(value.typeName) is not a picture and cannot be saved as .png")
            }
            data = png
        case "csv":
            guard let table = table(of: value) else {
                throw call.error("value", .type, "\(value.typeName) cannot be saved as .csv", hint: "save a table or a list")
            }
            data = Data(TableWriter.csv(table).utf8)
        case "json":
            if case .table(let table) = value {
                data = try TableWriter.json(table)
            } else {
                if let count = value.count, count > maximumItems {
                    throw call.error("value", "\(count) items are too many to save (at most \(maximumItems))")
                }
                data = try JSONSerialization.data(withJSONObject: [TableWriter.jsonValue(value)], options: [.fragmentsAllowed])
                    .dropFirst().dropLast()
            }
        case "onnx", "safetensors":
            guard case .engine(.model(let model)) = value else {
                throw call.error("value", .type, "\(value.typeName) is not a network; only networks are saved as .\(url.pathExtension.lowercased())",
                                 hint: "save a model from model(), or numbers as .npy")
            }
            guard let network = model.network as? GraphNetwork else {
                throw call.error("value", .type, "\(model.network.name) is not a layer graph and cannot be exported")
            }
            do {
                data = Data(url.pathExtension.lowercased() == "onnx" ? try ONNXExport.encode(network) : try network.encodedWeights())
            } catch EngineError.cancelled {
                throw EngineError.cancelled
            } catch let error as EngineError {
                throw call.error("value", "cannot save \(network.name) as .\(url.pathExtension.lowercased()): \(error.description)")
            }
        default:
            throw call.error("path", "cannot tell the format of '\(path)'",
                             hint: "end the name with .npy, .png, .csv, .json, .onnx or .safetensors")
        }
        do {
            try BoundedFile.write(data, to: url.path)
        } catch EngineError.io(let message) {
            throw call.error("path", .io, message, // already names the path and what is wrong
                             hint: "give the path of a file (new or regular) in a folder that exists and is writable")
        } catch let error as EngineError {
            throw call.error("path", .io, "cannot save to '\(path)': \(error.description)",
                             hint: "give the path of a file (new or regular) in a folder that exists and is writable")
        }
        return .none
    }

    /// Lists and ranges longer than this are not expanded into a file (a range like 0..1e12 is one typo away).
    static let maximumItems = 50_000_000

    /// How many numbers a value holds, judged from the first item of each list (saturating), to refuse
    /// huge saves before expanding anything.
    static func estimatedCount(of value: Value) -> Int {
        switch value {
        case .list(let items):
            guard let first = items.first else { return 0 }
            let (total, overflow) = items.count.multipliedReportingOverflow(by: max(1, estimatedCount(of: first)))
            return overflow ? Int.max : total
        case .range: return value.count ?? 0
        case .table(let table): return table.rows.count * table.columns.count
        default: return 1
        }
    }

    /// The numbers behind a value and their shape, nil when it has none (or a ragged or oversized list).
    static func numbers(of value: Value) -> ([Int], [Float])? {
        var budget = maximumItems
        return numbers(of: value, budget: &budget)
    }

    /// `budget` counts the numbers still allowed, so nested lists cannot expand without bound.
    private static func numbers(of value: Value, budget: inout Int) -> ([Int], [Float])? {
        guard budget > 0 else { return nil }
        switch value {
        case .number(let number):
            budget -= 1
            return ([], [Float(number)])
        case .bool(let flag):
            budget -= 1
            return ([], [flag ? 1 : 0])
        case .list, .range:
            guard let count = value.count, count <= budget, let items = value.elements else { return nil }
            if items.isEmpty { return ([0], []) }
            var shape: [Int]?
            var flat: [Float] = []
            for item in items {
                guard let (itemShape, itemNumbers) = numbers(of: item, budget: &budget) else { return nil }
                if shape == nil { shape = itemShape } else if shape != itemShape { return nil }
                flat += itemNumbers
            }
            return ([items.count] + (shape ?? []), flat)
        case .table(let table):
            var numbers: [Float] = []
            for cell in table.rows.joined() {
                guard case .number(let number) = cell else { return nil }
                numbers.append(Float(number))
            }
            budget -= numbers.count
            return ([table.rows.count, table.columns.count], numbers)
        case .engine(let engineValue):
            return engineValue.numbers()
        default:
            return nil
        }
    }

    /// A value as a table: tables as they are, lists as one column.
    static func table(of value: Value) -> Table? {
        switch value {
        case .table(let table): return table
        case .list, .range:
            guard let count = value.count, count <= maximumItems, let items = value.elements else { return nil }
            return Table(columns: ["value"], rows: items.map { [$0] })
        default: return nil
        }
    }
}
