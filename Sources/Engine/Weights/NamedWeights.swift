/// The arrays of one weight file, by name, in file order.
///
/// Names follow the file: torch state dicts give "features.0.weight", nested dicts and lists
/// are joined with dots ("fire2/squeeze1x1.0" for the kernel of a [kernel, bias] list).
/// Networks fetch arrays with `require`, which checks the shape and says what is wrong.
public struct NamedWeights: Sendable {
    public private(set) var names: [String] = []
    private var arrays: [String: WeightArray] = [:]
    /// Where the weights came from, for error messages.
    public let source: String

    public init(source: String) {
        self.source = source
    }

    public var count: Int { names.count }

    public subscript(name: String) -> WeightArray? { arrays[name] }

    /// Adds or replaces an array (a replaced name keeps its first position).
    public mutating func set(_ name: String, _ array: WeightArray) {
        if arrays.updateValue(array, forKey: name) == nil { names.append(name) }
    }

    /// The array called `name`, checked against the shape the network expects.
    public func require(_ name: String, shape expected: [Int]? = nil) throws -> WeightArray {
        guard let array = arrays[name] else {
            let nearby = names.filter { $0.hasPrefix(String(name.prefix(4))) }.prefix(5)
            let hint = nearby.isEmpty ? "" : " (similar names: \(nearby.joined(separator: ", ")))"
            throw EngineError.format("\(source): no weights named '\(name)'\(hint); is this the right file for the network?")
        }
        if let expected, array.shape != expected {
            throw EngineError.shapeMismatch("\(source): '\(name)' has shape \(array.shape), the network expects \(expected)")
        }
        return array
    }

    /// Nesting deeper than this is refused: real checkpoints nest a few levels, and a cyclic
    /// or hostile pickle must not recurse without end.
    static let maximumNesting = 32

    /// Flattens a loaded pickle value (dicts, lists, tensors, arrays) into named arrays.
    mutating func collect(_ value: PickleValue, prefix: String, depth: Int = 0) throws {
        guard depth <= NamedWeights.maximumNesting else {
            throw EngineError.format("\(source): containers nested more than \(NamedWeights.maximumNesting) deep (at '\(prefix)'); not a weight file")
        }
        func join(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }
        switch value {
        case .dict(let dict):
            for (key, item) in dict.entries {
                let name: String
                switch key {
                case .string(let text): name = text
                case .int(let number): name = String(number)
                default: continue
                }
                try collect(item, prefix: join(name), depth: depth + 1)
            }
        case .list, .tuple:
            for (index, item) in (value.asSequence ?? []).enumerated() {
                try collect(item, prefix: join(String(index)), depth: depth + 1)
            }
        case .tensor(let reference):
            set(prefix, try reference.materialize(name: prefix))
        case .ndarray(let box):
            set(prefix, try box.materialize(name: prefix))
        default:
            break // numbers, strings and None (e.g. hyperparameters saved beside the weights)
        }
    }
}
