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

    /// Values met while flattening beyond this many are refused. A pickle is a graph, not a
    /// tree: a 250-byte file can hold a list of the previous list twice, thirty times over, which
    /// is 2^31 paths to walk. Real weight files name a few thousand arrays.
    static let maximumVisits = 250_000

    /// Values made beyond the file's byte count plus this many are refused (overlapping views
    /// and small expanded tensors are legitimate): each stored element takes at least a byte,
    /// and without the bound a few bytes could ask for a zero-stride view of 2^32 elements, or a
    /// million views of one large storage, and exhaust memory.
    static let valueSlack = 1 << 24

    /// Flattens a loaded pickle value (dicts, lists, tensors, arrays) into named arrays;
    /// `fileSize` is the size in bytes of the file it came from, which bounds the values made.
    mutating func collect(_ value: PickleValue, prefix: String, fileSize: Int) throws {
        var budget = Budget(visits: NamedWeights.maximumVisits, values: fileSize + NamedWeights.valueSlack)
        try collect(value, prefix: prefix, depth: 0, budget: &budget)
    }

    /// What flattening one file may still do, and the arrays already made.
    private struct Budget {
        var visits: Int
        var values: Int
        /// A tensor or array reached by several paths (tied weights, memo references) is made
        /// once; later names share its values (arrays are copy-on-write).
        var made: [Origin: WeightArray] = [:]
    }

    private enum Origin: Hashable {
        case view(storage: ObjectIdentifier, offset: Int, shape: [Int], strides: [Int])
        case array(ObjectIdentifier)
    }

    private mutating func collect(_ value: PickleValue, prefix: String, depth: Int, budget: inout Budget) throws {
        guard depth <= NamedWeights.maximumNesting else {
            throw EngineError.format("\(source): containers nested more than \(NamedWeights.maximumNesting) deep (at '\(prefix)'); not a weight file")
        }
        budget.visits -= 1
        guard budget.visits >= 0 else {
            throw EngineError.format("\(source): the pickle reaches more than \(NamedWeights.maximumVisits) values (containers repeated within containers?); not a weight file")
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
                try collect(item, prefix: join(name), depth: depth + 1, budget: &budget)
            }
        case .list, .tuple:
            for (index, item) in (value.asSequence ?? []).enumerated() {
                try collect(item, prefix: join(String(index)), depth: depth + 1, budget: &budget)
            }
        case .tensor(let reference):
            let origin = Origin.view(storage: ObjectIdentifier(reference.storage), offset: reference.offset,
                                     shape: reference.shape, strides: reference.strides)
            set(prefix, try make(origin, shape: reference.shape, name: prefix, budget: &budget) { try reference.materialize(name: prefix) })
        case .ndarray(let box):
            set(prefix, try make(.array(ObjectIdentifier(box)), shape: box.shape, name: prefix, budget: &budget) { try box.materialize(name: prefix) })
        default:
            break // numbers, strings and None (e.g. hyperparameters saved beside the weights)
        }
    }

    /// The array made from `origin`, made now unless it was before; refused before anything is
    /// allocated if its values would overdraw the budget.
    private func make(_ origin: Origin, shape: [Int], name: String, budget: inout Budget,
                      _ materialize: () throws -> WeightArray) throws -> WeightArray {
        if let made = budget.made[origin] { return made }
        // An impossible shape (negative or overflowing) is left for `materialize` to describe.
        if let count = CheckedArithmetic.product(shape) {
            guard count <= budget.values else {
                throw EngineError.format("\(source): '\(name)' (shape \(shape)) would make more values than the file can hold; a view repeated or expanded beyond its data?")
            }
            budget.values -= count
        }
        let array = try materialize()
        budget.made[origin] = array
        return array
    }
}
