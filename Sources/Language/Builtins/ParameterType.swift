/// The type a builtin's parameter accepts; drives argument checking, error hints and completion.
public indirect enum ParameterType {
    case any
    case number
    /// A whole number (a number with no fraction).
    case integer
    case string
    case bool
    case list
    case table
    /// A whole number, a list of them or a range (channel selections).
    case integers
    /// A loaded network (from `model`).
    case model
    /// A picture (from `image` or a technique).
    case picture
    /// One image or a list of images.
    case pictures
    case tensor
    /// A set of labelled examples (from `dataset`, `toy2d`).
    case dataset
    /// A class by index or name ("281", 281, "tabby", "tabby cat"); strings complete to class names.
    case className
    /// A layer of the network given in another argument; strings complete to layer names.
    case layerName
    /// A sample photo's name or an image file path; strings complete to sample names.
    case imageName
    /// A network name from the model zoo or a weights file path; strings complete to model names.
    case modelName
    /// A file path to write.
    case path
    /// One of a fixed set of words.
    case choice([String])
    /// Either type.
    case either(ParameterType, ParameterType)

    /// How the type reads in signatures and documentation.
    public var name: String {
        switch self {
        case .any: return "any"
        case .number: return "number"
        case .integer: return "integer"
        case .string: return "string"
        case .bool: return "bool"
        case .list: return "list"
        case .table: return "table"
        case .integers: return "integers"
        case .model: return "model"
        case .picture: return "image"
        case .pictures: return "images"
        case .tensor: return "tensor"
        case .dataset: return "dataset"
        case .className: return "class"
        case .layerName: return "layer"
        case .imageName: return "image name"
        case .modelName: return "model name"
        case .path: return "path"
        case .choice(let words): return words.map { "\"\($0)\"" }.joined(separator: " | ")
        case .either(let a, let b): return "\(a.name) | \(b.name)"
        }
    }

    /// What an error says was expected: "a whole number", "a model (from model())".
    public var expectation: String {
        switch self {
        case .any: return "any value"
        case .number: return "a number"
        case .integer: return "a whole number"
        case .string: return "a string"
        case .bool: return "true or false"
        case .list: return "a list"
        case .table: return "a table"
        case .integers: return "a whole number, a list of them or a range like 0..15"
        case .model: return "a model (from model())"
        case .picture: return "an image (from image() or a technique)"
        case .pictures: return "an image or a list of images"
        case .tensor: return "a tensor"
        case .dataset: return "a dataset (from dataset() or toy2d())"
        case .className: return "a class name or index, like \"tabby\" or 281"
        case .layerName: return "a layer name as a string, like \"conv1\""
        case .imageName: return "a sample name or an image path as a string, like \"chelsea\""
        case .modelName: return "a model name or a weights path as a string, like \"squeezenet\""
        case .path: return "a file path as a string"
        case .choice(let words): return "one of " + words.map { "\"\($0)\"" }.joined(separator: ", ")
        case .either(let a, let b): return "\(a.expectation) or \(b.expectation)"
        }
    }

    /// Whether a number given for this type goes to a builtin as a number (`.any` takes values as they are).
    var takesNumbers: Bool {
        switch self {
        case .number, .integer, .integers, .className: return true
        case .either(let a, let b): return a.takesNumbers || b.takesNumbers
        default: return false
        }
    }

    /// Whether `value` has this type (choices are checked separately, to name the closest word).
    public func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _): return true
        case (.number, .number): return true
        case (.integer, _): return value.integerValue != nil
        case (.string, .string), (.path, .string), (.layerName, .string), (.imageName, .string),
             (.modelName, .string), (.choice, .string): return true
        case (.bool, .bool): return true
        case (.list, .list), (.list, .range): return true
        case (.table, .table): return true
        case (.integers, .range): return true
        case (.integers, .number): return value.integerValue != nil
        case (.integers, .list(let items)): return items.allSatisfy { $0.integerValue != nil }
        case (.className, .string): return true
        case (.className, .number): return value.integerValue != nil
        case (.either(let a, let b), _): return a.accepts(value) || b.accepts(value)
        case (.model, .engine), (.picture, .engine), (.tensor, .engine), (.dataset, .engine), (.pictures, .engine), (.pictures, .list):
            return EngineValue.accepts(self, value)
        default: return false
        }
    }
}
