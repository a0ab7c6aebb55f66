/// The whitelist of Python globals a weight pickle may name, and what "calling" each means.
///
/// Nothing here imports or runs anything: each allowed name maps to a small interpretation
/// in Swift (build a tensor view, an empty dict, a numpy array box). Every other name is
/// refused with an error that names it, so a checkpoint that tries `os.system` or
/// `builtins.eval` fails to load instead of running.
enum UnpicklerGlobals {
    /// Storage classes torch checkpoints name in their persistent ids.
    private static let storageNames: Set<String> = [
        "FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage", "LongStorage",
        "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage",
    ]

    private static let allowed: Set<String> = [
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter",
        "torch.Size",
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
        "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar",
        "numpy.ndarray", "numpy.dtype",
        "_codecs.encode",
    ]

    /// Returns the global as a value, or throws if it is not on the whitelist.
    static func resolve(module: String, name: String, context: String) throws -> PickleValue {
        let fullName = "\(module).\(name)"
        if allowed.contains(fullName) || (module == "torch" && storageNames.contains(name)) {
            return .global(module: module, name: name)
        }
        throw EngineError.format("\(context): refused to load global '\(fullName)': a weight file may only name "
            + "tensor storages, OrderedDict and numpy arrays; loading a file never runs code")
    }

    /// Interprets REDUCE/NEWOBJ of a whitelisted callable.
    static func call(_ callable: PickleValue, arguments: PickleValue, context: String) throws -> PickleValue {
        guard case .global(let module, let name) = callable else {
            throw EngineError.format("\(context): pickle calls a \(callable.kindName), which is not callable")
        }
        let arguments = arguments.asSequence ?? []
        func bad(_ expectation: String) -> EngineError {
            .format("\(context): \(module).\(name) called with unexpected arguments (expected \(expectation))")
        }
        switch "\(module).\(name)" {
        case "collections.OrderedDict":
            let dict = PickleDict()
            if let pairs = arguments.first?.asSequence {
                for pair in pairs {
                    guard let items = pair.asSequence, items.count == 2 else { throw bad("key-value pairs") }
                    dict.entries.append((items[0], items[1]))
                }
            }
            return .dict(dict)
        case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
            guard arguments.count >= 4, case .storage(let storage) = arguments[0], let offset = arguments[1].asInt,
                  let shape = arguments[2].asIntArray, let strides = arguments[3].asIntArray else {
                throw bad("storage, offset, size, stride")
            }
            return .tensor(TorchTensorReference(storage: storage, offset: offset, shape: shape, strides: strides))
        case "torch._utils._rebuild_parameter":
            guard let tensor = arguments.first, case .tensor = tensor else { throw bad("a tensor") }
            return tensor
        case "torch.Size":
            return .tuple(PickleTuple(arguments.first?.asSequence ?? []))
        case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct":
            guard case .global(_, "ndarray")? = arguments.first else { throw bad("numpy.ndarray") }
            return .ndarray(NumpyArrayBox())
        case "numpy.dtype":
            guard let code = arguments.first?.asString else { throw bad("a type code such as 'f4'") }
            guard WeightDType(numpy: code) != nil else {
                throw EngineError.format("\(context): numpy dtype '\(code)' is not supported (numbers only)")
            }
            return .dtype(NumpyDTypeBox(code: code))
        case "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar":
            guard arguments.count == 2, case .dtype(let dtype) = arguments[0], case .bytes(let bytes) = arguments[1],
                  let type = dtype.elementType, bytes.count == type.size else { throw bad("dtype and bytes") }
            return .float(Double(type.decode(bytes, start: 0, count: 1, littleEndian: dtype.littleEndian)[0]))
        case "_codecs.encode":
            // Protocol 2 spells bytes as _codecs.encode(str, 'latin1').
            guard let text = arguments.first?.asString else { throw bad("a string") }
            return .bytes(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        default:
            throw EngineError.format("\(context): '\(module).\(name)' may be named but not called")
        }
    }

    /// Interprets BUILD (setting an object's state) on the value on top of the stack.
    static func build(_ target: PickleValue, state: PickleValue, context: String) throws {
        switch target {
        case .ndarray(let box): try box.build(state, context: context)
        case .dtype(let box): box.build(state)
        case .dict, .tensor:
            // OrderedDict's `_metadata` and tensor attributes: not needed for the weights.
            break
        default:
            throw EngineError.format("\(context): pickle sets the state of a \(target.kindName), which is refused")
        }
    }
}
