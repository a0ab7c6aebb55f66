import Engine
import Foundation

/// Values backed by the engine: pictures, models and tensors.
public enum EngineValue {
    case picture(Picture)
    case model(ModelValue)
    case tensor(Tensor)
    case dataset(LabeledDataset)

    var typeName: String {
        switch self {
        case .picture: return "image"
        case .model: return "model"
        case .tensor: return "tensor"
        case .dataset: return "dataset"
        }
    }

    var summary: String {
        switch self {
        case .picture(let picture): return picture.summary
        case .model(let model): return model.summary
        case .tensor(let tensor): return TensorValue.summary(tensor)
        case .dataset(let dataset): return DatasetValue.summary(dataset)
        }
    }

    func displayBundle() -> DisplayBundle {
        switch self {
        case .picture(let picture): return picture.displayBundle()
        case .model(let model):
            var bundle = TableRenderer(table: model.layerTable).bundle()
            bundle.data["text/plain"] = model.summary + "\n" + (bundle.data["text/plain"] ?? "")
            return bundle
        case .tensor(let tensor): return .text(TensorValue.summary(tensor))
        case .dataset(let dataset): return DatasetValue.displayBundle(dataset)
        }
    }

    func isSameObject(as other: EngineValue) -> Bool {
        switch (self, other) {
        case (.picture(let a), .picture(let b)): return a === b
        case (.model(let a), .model(let b)): return a === b
        case (.tensor(let a), .tensor(let b)): return a === b
        case (.dataset(let a), .dataset(let b)): return a.inputs.withUnsafeBufferPointer { x in b.inputs.withUnsafeBufferPointer { x.baseAddress == $0.baseAddress } }
        default: return false
        }
    }

    var memberNames: [String: String] {
        switch self {
        case .picture(let picture):
            var members = ["width": "width in pixels", "height": "height in pixels", "channels": "1 (gray) or 3 (RGB)"]
            for (name, values) in picture.curves where !values.isEmpty {
                members[name] = Picture.curveDocs[name] ?? "a series over the optimisation steps"
            }
            for name in picture.facts.keys { members[name] = Picture.factDocs[name] ?? "a number the technique reports" }
            return members
        case .model: return ModelValue.memberDocs
        case .tensor: return TensorValue.memberDocs
        case .dataset: return DatasetValue.memberDocs
        }
    }

    func member(_ name: String) throws -> Value? {
        switch self {
        case .picture(let picture):
            switch name {
            case "width": return .number(Double(picture.image.width))
            case "height": return .number(Double(picture.image.height))
            case "channels": return .number(Double(picture.image.channels))
            default:
                if let fact = picture.facts[name] { return .number(fact) }
                guard let values = picture.curves[name], !values.isEmpty else { return nil }
                return .engine(.tensor(try Tensor(shape: [values.count], data: values)))
            }
        case .model(let model): return model.member(name)
        case .tensor(let tensor): return try TensorValue.member(tensor, name)
        case .dataset(let dataset): return try DatasetValue.member(dataset, name)
        }
    }

    func indexed(by index: Value, at span: SourceSpan) throws -> Value? {
        switch self {
        case .tensor(let tensor): return try TensorValue.index(tensor, index, at: span)
        case .model(let model):
            guard case .string(let name) = index else { return nil }
            guard let layer = model.network.layers.first(where: { $0.name == name }) else {
                throw LensError(.value, "\(model.network.name) has no layer '\(name)'", at: span,
                                hint: NameSuggestion.hint(for: name, among: model.network.layers.map(\.name)))
            }
            return .table(Table(columns: model.layerTable.columns,
                                rows: model.layerTable.rows.filter { $0.first?.isEqual(to: .string(layer.name)) ?? false }))
        case .picture, .dataset: return nil
        }
    }

    func negated() throws -> EngineValue? {
        if case .tensor(let tensor) = self { return .tensor(tensor * -1) }
        return nil
    }

    func combined(_ op: BinaryOperator, with other: Value, valueOnLeft: Bool) throws -> EngineValue? {
        guard case .tensor(let tensor) = self else { return nil }
        return try TensorValue.combine(op, tensor, other, tensorOnLeft: valueOnLeft).map { .tensor($0) }
    }

    static func accepts(_ type: ParameterType, _ value: Value) -> Bool {
        switch (type, value) {
        case (.model, .engine(.model)), (.picture, .engine(.picture)), (.tensor, .engine(.tensor)), (.dataset, .engine(.dataset)),
             (.pictures, .engine(.picture)):
            return true
        case (.pictures, .list(let items)):
            return items.allSatisfy { if case .engine(.picture) = $0 { return true } else { return false } }
        default:
            return false
        }
    }

    /// The numbers behind the value and their shape, for .npy.
    func numbers() -> ([Int], [Float])? {
        switch self {
        case .picture(let picture): return (picture.array.shape, picture.array.values)
        case .tensor(let tensor): return (tensor.shape, tensor.data)
        case .dataset(let dataset): return (DatasetValue.shape(dataset), dataset.inputs)
        case .model: return nil
        }
    }

    /// PNG bytes of a picture.
    func pngData() throws -> Data? {
        if case .picture(let picture) = self { return try picture.pngData() }
        return nil
    }

    /// PNG bytes of a picture with the logical size to show them at.
    func shownPNG() throws -> ShownPNG? {
        if case .picture(let picture) = self { return try picture.shownPNG() }
        return nil
    }
}
