/// A value produced by the restricted unpickler.
///
/// Only plain data and the few reconstructed objects that weight files need exist here:
/// there is no case for "an arbitrary Python object", so a pickle that asks for anything
/// else cannot be represented and is refused while loading.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    /// Containers are reference boxes: pickles fill lists and dicts after creation (APPENDS,
    /// SETITEMS) through memo references that must see the same container, and boxes let the
    /// unpickler take a hostile, deeply nested structure apart without recursion (`dismantle`).
    case tuple(PickleTuple)
    case list(PickleList)
    case dict(PickleDict)
    /// A whitelisted global not yet called, e.g. `torch._utils._rebuild_tensor_v2`.
    case global(module: String, name: String)
    /// A storage reference from a torch checkpoint's persistent id.
    case storage(TorchStorageReference)
    /// A tensor view on a storage (torch `_rebuild_tensor_v2`).
    case tensor(TorchTensorReference)
    /// A numpy array under reconstruction or reconstructed (`_reconstruct` + `BUILD`).
    case ndarray(NumpyArrayBox)
    /// A numpy dtype (`numpy.dtype(...)` + `BUILD` with the byte order).
    case dtype(NumpyDTypeBox)

    /// Short type name for error messages.
    var kindName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .global(let module, let name): return "global \(module).\(name)"
        case .storage: return "storage"
        case .tensor: return "tensor"
        case .ndarray: return "ndarray"
        case .dtype: return "dtype"
        }
    }

    var asInt: Int? {
        switch self {
        case .int(let value): return value
        case .bool(let value): return value ? 1 : 0
        default: return nil
        }
    }

    var asString: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Elements of a tuple or list.
    var asSequence: [PickleValue]? {
        switch self {
        case .tuple(let tuple): return tuple.items
        case .list(let list): return list.items
        default: return nil
        }
    }

    /// A tuple/list of ints, e.g. a shape or strides.
    var asIntArray: [Int]? {
        guard let items = asSequence else { return nil }
        var result: [Int] = []
        for item in items {
            guard let value = item.asInt else { return nil }
            result.append(value)
        }
        return result
    }
}

/// A container the unpickler can empty before releasing it (see `Unpickler.dismantle`).
protocol PickleContainer: AnyObject {
    func removeAll()
}

/// A Python tuple.
final class PickleTuple: PickleContainer {
    private(set) var items: [PickleValue]
    init(_ items: [PickleValue]) { self.items = items }
    func removeAll() { items = [] }
}

/// A mutable Python list.
final class PickleList: PickleContainer {
    var items: [PickleValue]
    init(_ items: [PickleValue] = []) { self.items = items }
    func removeAll() { items = [] }
}

/// A mutable Python dict (or OrderedDict) keeping insertion order.
final class PickleDict: PickleContainer {
    var entries: [(key: PickleValue, value: PickleValue)] = []
    init() {}
    func removeAll() { entries = [] }
}
