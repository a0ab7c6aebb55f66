/// A restricted pickle virtual machine: reads the data in weight files and never runs code.
///
/// Python's pickle format is a small stack machine whose GLOBAL and REDUCE opcodes can
/// import and call anything; that is how a malicious checkpoint takes over a machine.
/// This VM implements the data opcodes in full, and GLOBAL only for a whitelist of names
/// (tensor rebuilding, storage types, OrderedDict, numpy array and dtype reconstruction),
/// which it interprets itself rather than calling. Any other global is refused with an
/// error that names it.
///
/// Opcode reference: CPython `Lib/pickletools.py`; protocols 0 to 5 (out-of-band buffers refused).
struct Unpickler {
    private(set) var reader: ByteReader
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    /// Every container made, so `dismantle` can empty them one by one.
    private var containers: [PickleContainer] = []
    /// Containers beyond this are refused: the weight files here need a few thousand.
    static let maximumContainers = 2_000_000
    /// Resolves a persistent id (torch storages); nil refuses persistent ids.
    private let persistentLoad: ((PickleValue) throws -> PickleValue)?

    init(reader: ByteReader, persistentLoad: ((PickleValue) throws -> PickleValue)? = nil) {
        self.reader = reader
        self.persistentLoad = persistentLoad
    }

    /// Offset just past the last STOP, for files that hold several pickles in a row.
    var offset: Int { reader.offset }

    private var context: String { reader.context }

    /// Empties every container made so far, so releasing them never recurses (a hostile pickle
    /// can nest a million tuples, whose recursive release would overflow the stack). Call it
    /// once the loaded value has been consumed.
    mutating func dismantle() {
        for container in containers { container.removeAll() }
        containers = []
        stack = []
        memo = [:]
    }

    private mutating func register<Box: PickleContainer>(_ box: Box) throws -> Box {
        guard containers.count < Unpickler.maximumContainers else {
            throw reader.failure("pickle makes more than \(Unpickler.maximumContainers) containers")
        }
        containers.append(box)
        return box
    }

    private mutating func tuple(_ items: [PickleValue]) throws -> PickleValue {
        .tuple(try register(PickleTuple(items)))
    }

    /// Runs the machine to STOP and returns the value on top of the stack.
    mutating func load() throws -> PickleValue {
        stack = []
        marks = []
        memo = [:]
        while true {
            let opcode = try reader.byte("opcode")
            if opcode == 0x2E { // STOP '.'
                guard let result = stack.popLast() else { throw reader.failure("pickle ended with an empty stack") }
                return result
            }
            try execute(opcode)
        }
    }

    // MARK: - Stack helpers

    private mutating func pop() throws -> PickleValue {
        guard let value = stack.popLast() else { throw reader.failure("pickle stack underflow") }
        return value
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw reader.failure("pickle has no MARK to pop to") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func top() throws -> PickleValue {
        guard let value = stack.last else { throw reader.failure("pickle stack is empty") }
        return value
    }

    private mutating func memoGet(_ index: Int) throws {
        guard let value = memo[index] else { throw reader.failure("pickle refers to memo \(index), which was never stored") }
        stack.append(value)
    }

    private mutating func memoPut(_ index: Int) throws {
        memo[index] = try top()
    }

    // MARK: - Opcodes

    private mutating func execute(_ opcode: UInt8) throws {
        switch opcode {
        case 0x80: _ = try reader.byte("protocol")                                    // PROTO
        case 0x95: try reader.skip(8, "frame length")                                 // FRAME
        case 0x28: marks.append(stack.count)                                          // MARK '('
        case 0x30: _ = try pop()                                                      // POP '0'
        case 0x31: _ = try popToMark()                                                // POP_MARK '1'
        case 0x32: stack.append(try top())                                            // DUP '2'
        case 0x4E: stack.append(.none)                                                // NONE 'N'
        case 0x88: stack.append(.bool(true))                                          // NEWTRUE
        case 0x89: stack.append(.bool(false))                                         // NEWFALSE
        case 0x4A: stack.append(.int(Int(try reader.signedLE(4, "BININT"))))          // BININT 'J'
        case 0x4B: stack.append(.int(Int(try reader.byte("BININT1"))))                // BININT1 'K'
        case 0x4D: stack.append(.int(Int(try reader.unsignedLE(2, "BININT2"))))       // BININT2 'M'
        case 0x8A: stack.append(try longValue(size: Int(try reader.byte("LONG1 size"))))        // LONG1
        case 0x8B: stack.append(try longValue(size: try reader.length(4, "LONG4 size")))         // LONG4
        case 0x47:                                                                    // BINFLOAT 'G' (big-endian)
            let bytes = try reader.take(8, "BINFLOAT")
            let bits = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            stack.append(.float(Double(bitPattern: bits)))
        case 0x49: stack.append(try textInteger(try reader.line("INT")))              // INT 'I'
        case 0x4C: stack.append(try textInteger(String(try reader.line("LONG").reversed().drop(while: { $0 == "L" }).reversed()))) // LONG 'L'
        case 0x46:                                                                    // FLOAT 'F'
            let text = try reader.line("FLOAT")
            guard let value = Double(text) else { throw reader.failure("FLOAT '\(text)' is not a number") }
            stack.append(.float(value))
        case 0x58: stack.append(.string(try utf8(try reader.length(4, "BINUNICODE length"))))   // BINUNICODE 'X'
        case 0x8C: stack.append(.string(try utf8(Int(try reader.byte("SHORT_BINUNICODE length"))))) // SHORT_BINUNICODE
        case 0x8D: stack.append(.string(try utf8(try reader.length(8, "BINUNICODE8 length"))))  // BINUNICODE8
        case 0x56: stack.append(.string(try reader.line("UNICODE")))                  // UNICODE 'V'
        case 0x54: stack.append(.string(try latin1(try reader.length(4, "BINSTRING length"))))  // BINSTRING 'T'
        case 0x55: stack.append(.string(try latin1(Int(try reader.byte("SHORT_BINSTRING length"))))) // SHORT_BINSTRING 'U'
        case 0x53:                                                                    // STRING 'S'
            let text = try reader.line("STRING")
            stack.append(.string(String(text.dropFirst().dropLast())))
        case 0x42: stack.append(.bytes(Array(try reader.take(try reader.length(4, "BINBYTES length"), "BINBYTES")))) // 'B'
        case 0x43: stack.append(.bytes(Array(try reader.take(Int(try reader.byte("SHORT_BINBYTES length")), "SHORT_BINBYTES")))) // 'C'
        case 0x8E, 0x96: stack.append(.bytes(Array(try reader.take(try reader.length(8, "BINBYTES8 length"), "BINBYTES8")))) // BINBYTES8, BYTEARRAY8
        case 0x5D: stack.append(.list(try register(PickleList())))                                  // EMPTY_LIST ']'
        case 0x6C: stack.append(.list(try register(PickleList(try popToMark()))))                   // LIST 'l'
        case 0x61:                                                                    // APPEND 'a'
            let item = try pop()
            try append([item])
        case 0x65: try append(try popToMark())                                        // APPENDS 'e'
        case 0x29: stack.append(try tuple([]))                                           // EMPTY_TUPLE ')'
        case 0x74: stack.append(try tuple(try popToMark()))                              // TUPLE 't'
        case 0x85: stack.append(try tuple([try pop()]))                                  // TUPLE1
        case 0x86:                                                                    // TUPLE2
            let second = try pop(), first = try pop()
            stack.append(try tuple([first, second]))
        case 0x87:                                                                    // TUPLE3
            let third = try pop(), second = try pop(), first = try pop()
            stack.append(try tuple([first, second, third]))
        case 0x7D: stack.append(.dict(try register(PickleDict())))                                  // EMPTY_DICT '}'
        case 0x64:                                                                    // DICT 'd'
            let dict = try register(PickleDict())
            try setItems(dict, try popToMark())
            stack.append(.dict(dict))
        case 0x73:                                                                    // SETITEM 's'
            let value = try pop(), key = try pop()
            try setItems(try dictOnTop(), [key, value])
        case 0x75:                                                                    // SETITEMS 'u'
            let items = try popToMark()
            try setItems(try dictOnTop(), items)
        case 0x8F: stack.append(.list(try register(PickleList())))                                  // EMPTY_SET (kept as a list)
        case 0x90: try append(try popToMark())                                        // ADDITEMS
        case 0x91: stack.append(try tuple(try popToMark()))                              // FROZENSET
        case 0x63:                                                                    // GLOBAL 'c'
            let module = try reader.line("GLOBAL module"), name = try reader.line("GLOBAL name")
            stack.append(try UnpicklerGlobals.resolve(module: module, name: name, context: context))
        case 0x93:                                                                    // STACK_GLOBAL
            let name = try pop(), module = try pop()
            guard let moduleName = module.asString, let globalName = name.asString else {
                throw reader.failure("STACK_GLOBAL needs two strings")
            }
            stack.append(try UnpicklerGlobals.resolve(module: moduleName, name: globalName, context: context))
        case 0x52:                                                                    // REDUCE 'R'
            let arguments = try pop(), callable = try pop()
            stack.append(try UnpicklerGlobals.call(callable, arguments: arguments, context: context))
        case 0x81:                                                                    // NEWOBJ
            let arguments = try pop(), callable = try pop()
            stack.append(try UnpicklerGlobals.call(callable, arguments: arguments, context: context))
        case 0x62:                                                                    // BUILD 'b'
            let state = try pop()
            try UnpicklerGlobals.build(try top(), state: state, context: context)
        case 0x70: try memoPut(try textIndex(try reader.line("PUT")))                 // PUT 'p'
        case 0x71: try memoPut(Int(try reader.byte("BINPUT")))                        // BINPUT 'q'
        case 0x72: try memoPut(Int(try reader.unsignedLE(4, "LONG_BINPUT")))          // LONG_BINPUT 'r'
        case 0x94: try memoPut(memo.count)                                            // MEMOIZE
        case 0x67: try memoGet(try textIndex(try reader.line("GET")))                 // GET 'g'
        case 0x68: try memoGet(Int(try reader.byte("BINGET")))                        // BINGET 'h'
        case 0x6A: try memoGet(Int(try reader.unsignedLE(4, "LONG_BINGET")))          // LONG_BINGET 'j'
        case 0x51:                                                                    // BINPERSID 'Q'
            stack.append(try persistent(try pop()))
        case 0x50:                                                                    // PERSID 'P'
            stack.append(try persistent(.string(try reader.line("PERSID"))))
        case 0x69, 0x6F, 0x92:                                                        // INST, OBJ, NEWOBJ_EX
            throw reader.failure("pickle opcode 0x\(String(opcode, radix: 16)) builds arbitrary objects and is refused")
        case 0x82, 0x83, 0x84:                                                        // EXT1/2/4
            throw reader.failure("pickle extension registry opcodes are refused")
        case 0x97, 0x98:                                                              // NEXT_BUFFER, READONLY_BUFFER
            throw reader.failure("pickle out-of-band buffers are not supported")
        default:
            throw reader.failure("unknown pickle opcode 0x\(String(opcode, radix: 16)) (not a pickle, or corrupt)")
        }
    }

    // MARK: - Opcode helpers

    private mutating func append(_ items: [PickleValue]) throws {
        guard case .list(let list) = try top() else {
            throw reader.failure("APPEND to a \(try top().kindName), expected a list")
        }
        list.items.append(contentsOf: items)
    }

    private mutating func dictOnTop() throws -> PickleDict {
        guard case .dict(let dict) = try top() else {
            throw reader.failure("SETITEM on a \(try top().kindName), expected a dict")
        }
        return dict
    }

    private func setItems(_ dict: PickleDict, _ items: [PickleValue]) throws {
        guard items.count % 2 == 0 else { throw reader.failure("SETITEMS with an odd number of items") }
        for pair in stride(from: 0, to: items.count, by: 2) {
            dict.entries.append((items[pair], items[pair + 1]))
        }
    }

    private mutating func persistent(_ id: PickleValue) throws -> PickleValue {
        guard let persistentLoad else { throw reader.failure("pickle has a persistent id but this format has none") }
        return try persistentLoad(id)
    }

    private mutating func longValue(size: Int) throws -> PickleValue {
        guard size <= 8 else { throw reader.failure("integer of \(size) bytes is too large") }
        if size == 0 { return .int(0) }
        return .int(Int(try reader.signedLE(size, "LONG")))
    }

    private func textInteger(_ text: String) throws -> PickleValue {
        if text == "01" { return .bool(true) }
        if text == "00" { return .bool(false) }
        guard let value = Int(text) else { throw reader.failure("integer '\(text)' is not a number") }
        return .int(value)
    }

    private func textIndex(_ text: String) throws -> Int {
        guard let value = Int(text), value >= 0 else { throw reader.failure("memo index '\(text)' is not a number") }
        return value
    }

    private mutating func utf8(_ count: Int) throws -> String {
        String(decoding: try reader.take(count, "string"), as: UTF8.self)
    }

    private mutating func latin1(_ count: Int) throws -> String {
        String(String.UnicodeScalarView(try reader.take(count, "string").map { Unicode.Scalar($0) }))
    }
}
