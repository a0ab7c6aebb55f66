import Foundation

/// An attribute value of an ONNX node (onnx.proto, `AttributeProto`), of the kinds the
/// supported operators use (https://onnx.ai/onnx/operators/). Graph-valued attributes (the
/// bodies of If, Loop and Scan), sparse tensors and type protos are refused when decoding.
public enum ONNXAttribute: Equatable, Sendable {
    case int(Int64)
    case float(Float)
    case string(String)
    case ints([Int64])
    case floats([Float])
    case strings([String])
    case tensor(ONNXTensor)

    /// Names the kind in messages, as onnx.proto spells `AttributeType`.
    public var kind: String {
        switch self {
        case .int: return "INT"
        case .float: return "FLOAT"
        case .string: return "STRING"
        case .ints: return "INTS"
        case .floats: return "FLOATS"
        case .strings: return "STRINGS"
        case .tensor: return "TENSOR"
        }
    }
}

/// One operator application of an ONNX graph (onnx.proto, `NodeProto`).
///
/// `inputs` keeps empty names: ONNX marks an omitted optional input with "" so that the
/// inputs after it keep their positions (Resize's `roi`, Clip's `min`).
public struct ONNXNode: Equatable, Sendable {
    /// The node's name from the file, or "<op_type>_<index>" when the file left it empty,
    /// so that every message can name the node.
    public var name: String
    /// The operator, e.g. "Conv"; always of the default ONNX domain (others are refused).
    public var opType: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [String: ONNXAttribute]

    public init(name: String, opType: String, inputs: [String], outputs: [String], attributes: [String: ONNXAttribute] = [:]) {
        self.name = name
        self.opType = opType
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    /// "node 'conv1' (Conv)", how messages name a node.
    public var label: String { "node '\(name)' (\(opType))" }

    /// The input at `index`, or nil when it is absent or omitted ("").
    public func input(_ index: Int) -> String? {
        index < inputs.count && !inputs[index].isEmpty ? inputs[index] : nil
    }

    // MARK: - Typed attribute access
    // Each accessor returns nil for an absent attribute (the operator's default applies, as
    // https://onnx.ai/onnx/operators/ gives it) and throws EngineError.format naming the node
    // when the attribute has another kind. Wrap calls in `ONNXModel.namingFile` to name the file too.

    /// An INT attribute, such as Conv's `group`.
    public func int(_ name: String) throws -> Int? {
        switch attributes[name] {
        case nil: return nil
        case .int(let value)?: return Int(value)
        case let other?: throw wrongKind(name, other, expected: "INT")
        }
    }

    /// An INT attribute, or the operator's default.
    public func int(_ name: String, default value: Int) throws -> Int { try int(name) ?? value }

    /// A FLOAT attribute, such as LeakyRelu's `alpha`.
    public func float(_ name: String) throws -> Float? {
        switch attributes[name] {
        case nil: return nil
        case .float(let value)?: return value
        // Some exporters write whole-number floats (Clip's bounds, LeakyRelu's alpha) as INT.
        case .int(let value)?: return Float(value)
        case let other?: throw wrongKind(name, other, expected: "FLOAT")
        }
    }

    /// A FLOAT attribute, or the operator's default.
    public func float(_ name: String, default value: Float) throws -> Float { try float(name) ?? value }

    /// A STRING attribute, such as Pad's `mode` or Conv's `auto_pad`.
    public func string(_ name: String) throws -> String? {
        switch attributes[name] {
        case nil: return nil
        case .string(let value)?: return value
        case let other?: throw wrongKind(name, other, expected: "STRING")
        }
    }

    /// An INTS attribute, such as Conv's `pads` or Transpose's `perm`.
    public func ints(_ name: String) throws -> [Int]? {
        switch attributes[name] {
        case nil: return nil
        case .ints(let values)?: return values.map { Int($0) }
        case let other?: throw wrongKind(name, other, expected: "INTS")
        }
    }

    /// A FLOATS attribute, such as Upsample's `scales` (opset 7-8).
    public func floats(_ name: String) throws -> [Float]? {
        switch attributes[name] {
        case nil: return nil
        case .floats(let values)?: return values
        case let other?: throw wrongKind(name, other, expected: "FLOATS")
        }
    }

    /// A TENSOR attribute, such as Constant's `value` or ConstantOfShape's `value`.
    public func tensor(_ name: String) throws -> ONNXTensor? {
        switch attributes[name] {
        case nil: return nil
        case .tensor(let value)?: return value
        case let other?: throw wrongKind(name, other, expected: "TENSOR")
        }
    }

    private func wrongKind(_ name: String, _ found: ONNXAttribute, expected: String) -> EngineError {
        .format("\(label): attribute '\(name)' is \(found.kind), expected \(expected)")
    }
}

/// Decodes `NodeProto` attributes into `ONNXAttribute`s.
enum ONNXAttributeDecoding {
    /// List attributes longer than this are refused: the longest any supported operator
    /// needs is a pads or shape list of a few dozen entries.
    static let maximumListLength = 1 << 20

    static func decode(_ proto: Onnx_AttributeProto, node: String, source: String) throws -> ONNXAttribute {
        let what = "\(node): attribute '\(proto.name)'"
        func failure(_ message: String) -> EngineError { .format("\(source): \(what) \(message)") }
        if !proto.refAttrName.isEmpty {
            throw EngineError.unsupported("\(source): \(what) refers to a function attribute ('\(proto.refAttrName)'); ONNX functions are not supported")
        }
        var type = proto.type
        if type == .undefined {
            // IR version 1 files carry no discriminator; the field that is set says the kind.
            if proto.hasF { type = .float } else if proto.hasI { type = .int } else if proto.hasS { type = .string }
            else if proto.hasT { type = .tensor } else if proto.hasG { type = .graph }
            else if !proto.floats.isEmpty { type = .floats } else if !proto.ints.isEmpty { type = .ints }
            else if !proto.strings.isEmpty { type = .strings }
            else { throw failure("has no type and no value") }
        }
        switch type {
        case .float: return .float(proto.f)
        case .int: return .int(proto.i)
        case .string: return .string(try text(proto.s, fail: failure))
        case .tensor: return .tensor(try ONNXTensorDecoding.decode(proto.t, what: "tensor of \(what)", source: source))
        case .floats:
            guard proto.floats.count <= maximumListLength else { throw failure("has \(proto.floats.count) floats, over the limit of \(maximumListLength)") }
            return .floats(proto.floats)
        case .ints:
            guard proto.ints.count <= maximumListLength else { throw failure("has \(proto.ints.count) ints, over the limit of \(maximumListLength)") }
            return .ints(proto.ints)
        case .strings:
            guard proto.strings.count <= maximumListLength else { throw failure("has \(proto.strings.count) strings, over the limit of \(maximumListLength)") }
            return .strings(try proto.strings.map { try text($0, fail: failure) })
        case .graph, .graphs:
            throw EngineError.unsupported("\(source): \(what) is a subgraph (control flow); ConvLens runs straight-line graphs only")
        case .sparseTensor, .sparseTensors:
            throw EngineError.unsupported("\(source): \(what) is a sparse tensor; sparse tensors are not supported")
        case .tensors, .typeProto, .typeProtos, .undefined:
            throw EngineError.unsupported("\(source): \(what) is of type \(type); no supported operator takes one")
        }
    }

    private static func text(_ bytes: Data, fail: (String) -> EngineError) throws -> String {
        guard let string = String(data: bytes, encoding: .utf8) else { throw fail("is not valid UTF-8") }
        return string
    }
}
