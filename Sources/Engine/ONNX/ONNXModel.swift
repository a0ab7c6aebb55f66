import Foundation
import SwiftProtobuf

/// An ONNX model file read into a neutral, validated description: what the layer graph is
/// built from, independent of the graph's own types.
///
/// Reading checks everything a graph builder would otherwise trip over: the default-domain
/// opset is within `supportedOpsets`; every node's operator is in `ONNXOperators.supported`;
/// every node input is a graph input, an initializer or the output of an earlier node (ONNX
/// requires topological order, onnx.proto `GraphProto.node`); no value is produced twice;
/// every initializer decodes (no external data). Every error names the file.
///
/// See onnx.proto (`ModelProto`, `GraphProto`) and https://onnx.ai/onnx/repo-docs/IR.html.
public struct ONNXModel: Equatable, Sendable {
    /// The opsets of the default domain ConvLens reads: PyTorch 1.x and 2.x export 11 to 20, and
    /// the classic model zoo (the onnx package's backend test models) is opset 9. Operators whose
    /// form changed within the range are read in their current form (`ONNXOpsetForms`).
    public static let supportedOpsets = 9...21
    /// More nodes than any vision network has; a file with more is refused, not walked.
    static let maximumNodes = 200_000
    /// The most inputs or outputs a node or graph may list (Concat of many branches stays far below).
    static let maximumEdges = 10_000

    /// The path the model was read from (or the name given to `decode`); errors name it.
    public var source: String
    /// `ir_version` of the file.
    public var irVersion: Int
    /// The version of the default ("" / "ai.onnx") operator set.
    public var opsetVersion: Int
    /// "producer_name producer_version", e.g. "pytorch 2.1.0"; may be empty.
    public var producer: String
    public var graphName: String
    /// Inputs the caller feeds: the graph inputs that are not initializers (files of IR
    /// version 3 and older list every initializer among the inputs too).
    public var inputs: [ONNXValueInfo]
    public var outputs: [ONNXValueInfo]
    /// Constant tensors by name.
    public var initializers: [String: ONNXTensor]
    /// Initializer names in file order, so that listings and saved files are stable.
    public var initializerNames: [String]
    /// The nodes in topological order.
    public var nodes: [ONNXNode]
    /// `ModelProto.metadata_props`: free-form key/value pairs. ConvLens keeps a network's input
    /// convention and layer grouping there (`ONNXExportMetadata`); a key given twice keeps its last value.
    public var metadata: [String: String]

    /// A model from its parts, as decoding and constant folding build it; `initializers` in file order.
    /// Performs no validation: `read` and `decode` validate what comes from files.
    public init(source: String, irVersion: Int, opsetVersion: Int, producer: String = "", graphName: String = "",
                inputs: [ONNXValueInfo], outputs: [ONNXValueInfo], initializers: [(String, ONNXTensor)], nodes: [ONNXNode],
                metadata: [String: String] = [:]) {
        self.source = source
        self.metadata = metadata
        self.irVersion = irVersion
        self.opsetVersion = opsetVersion
        self.producer = producer
        self.graphName = graphName
        self.inputs = inputs
        self.outputs = outputs
        self.initializers = Dictionary(initializers, uniquingKeysWith: { _, last in last })
        self.initializerNames = initializers.map(\.0)
        self.nodes = nodes
    }

    /// The distinct operators the nodes use, sorted.
    public var opTypes: [String] { Array(Set(nodes.map(\.opType))).sorted() }

    /// The number of weights (elements of floating-point initializers).
    public var parameterCount: Int {
        initializers.values.reduce(0) { $0 + ($1.elementType.isFloatingPoint ? $1.count : 0) }
    }

    /// Runs `body`, prefixing the file's path to the message of any `EngineError` it throws
    /// that does not name the file yet: `ONNXNode`'s attribute accessors and the shape checks
    /// name the node only, and a user with several files needs to know which one.
    public func namingFile<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch EngineError.format(let message) where !message.hasPrefix(source) {
            throw EngineError.format("\(source): \(message)")
        } catch EngineError.shapeMismatch(let message) where !message.hasPrefix(source) {
            throw EngineError.shapeMismatch("\(source): \(message)")
        } catch EngineError.invalid(let message) where !message.hasPrefix(source) {
            throw EngineError.invalid("\(source): \(message)")
        } catch EngineError.unsupported(let message) where !message.hasPrefix(source) {
            throw EngineError.unsupported("\(source): \(message)")
        }
    }

    /// Reads and validates the ONNX file at `path` (at most `BoundedFile.Kind.weights.limit` bytes).
    public static func read(_ path: String) throws -> ONNXModel {
        try decode(try BoundedFile.read(path, as: .weights), source: path)
    }

    /// Decodes and validates a serialized `ModelProto`; `source` names it in errors.
    public static func decode(_ bytes: [UInt8], source: String) throws -> ONNXModel {
        let proto: Onnx_ModelProto
        do {
            // Partial messages are allowed: proto2 `required` fields of ONNX's own messages
            // are rare, and a missing one is judged below with a better message.
            proto = try Onnx_ModelProto(serializedBytes: bytes, partial: true)
        } catch {
            throw EngineError.format("\(source): not an ONNX model (the protobuf message does not decode: \(error))")
        }
        try Cancellation.check()
        return try ONNXModelDecoding(source: source).model(from: proto)
    }
}

/// Builds an `ONNXModel` from a decoded `ModelProto`, validating as it goes.
struct ONNXModelDecoding {
    let source: String

    func model(from proto: Onnx_ModelProto) throws -> ONNXModel {
        guard proto.hasGraph else { throw EngineError.format("\(source): the ONNX model has no graph") }
        let opset = try defaultOpset(proto)
        let graph = proto.graph
        guard graph.node.count <= ONNXModel.maximumNodes else {
            throw EngineError.format("\(source): the graph has \(graph.node.count) nodes, over the limit of \(ONNXModel.maximumNodes)")
        }
        guard graph.input.count <= ONNXModel.maximumEdges, graph.output.count <= ONNXModel.maximumEdges else {
            throw EngineError.format("\(source): the graph has \(graph.input.count) inputs and \(graph.output.count) outputs, over the limit of \(ONNXModel.maximumEdges)")
        }
        if !graph.sparseInitializer.isEmpty {
            throw EngineError.unsupported("\(source): the graph has \(graph.sparseInitializer.count) sparse initializers; sparse tensors are not supported")
        }

        // Operators first: an unsupported model is refused before any weight is decoded.
        var named: [(node: ONNXNode, domain: String)] = []
        for (index, node) in graph.node.enumerated() {
            let name = node.name.isEmpty ? "\(node.opType)_\(index)" : node.name
            named.append((ONNXNode(name: name, opType: node.opType, inputs: node.input, outputs: node.output), node.domain))
        }
        try ONNXOperators.requireSupported(named, source: source)

        var initializers: [(String, ONNXTensor)] = []
        var defined = Set<String>()
        for tensor in graph.initializer {
            guard !tensor.name.isEmpty else { throw EngineError.format("\(source): an initializer has no name") }
            guard defined.insert(tensor.name).inserted else {
                throw EngineError.format("\(source): initializer '\(tensor.name)' is defined twice")
            }
            initializers.append((tensor.name, try ONNXTensorDecoding.decode(tensor, what: "initializer '\(tensor.name)'", source: source)))
            try Cancellation.check()
        }
        var inputs: [ONNXValueInfo] = []
        for value in graph.input where !defined.contains(value.name) {
            guard !value.name.isEmpty else { throw EngineError.format("\(source): a graph input has no name") }
            inputs.append(try ONNXValueInfo.decode(value, what: "graph input", source: source))
            defined.insert(value.name)
        }
        let outputs = try graph.output.map { try ONNXValueInfo.decode($0, what: "graph output", source: source) }

        var nodes: [ONNXNode] = []
        for (index, proto) in graph.node.enumerated() {
            var node = named[index].node
            guard node.inputs.count <= ONNXModel.maximumEdges, node.outputs.count <= ONNXModel.maximumEdges,
                  proto.attribute.count <= ONNXModel.maximumEdges else {
                throw EngineError.format("\(source): \(node.label) has \(node.inputs.count) inputs, \(node.outputs.count) outputs and \(proto.attribute.count) attributes, over the limit of \(ONNXModel.maximumEdges)")
            }
            for input in node.inputs where !input.isEmpty && !defined.contains(input) {
                throw EngineError.format("\(source): \(node.label) reads '\(input)', which no graph input, initializer or earlier node defines (the nodes must be in topological order)")
            }
            for output in node.outputs where !output.isEmpty {
                guard defined.insert(output).inserted else {
                    throw EngineError.format("\(source): \(node.label) writes '\(output)', which is already defined")
                }
            }
            for attribute in proto.attribute {
                guard node.attributes[attribute.name] == nil else {
                    throw EngineError.format("\(source): \(node.label) has attribute '\(attribute.name)' twice")
                }
                node.attributes[attribute.name] = try ONNXAttributeDecoding.decode(attribute, node: node.label, source: source)
            }
            nodes.append(node)
        }
        for output in outputs where !defined.contains(output.name) {
            throw EngineError.format("\(source): graph output '\(output.name)' is not computed by any node")
        }
        let modern = try ONNXOpsetForms.modernized(nodes, opset: opset, defined: defined, source: source)
        nodes = modern.nodes
        initializers += modern.initializers
        let producer = [proto.producerName, proto.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        return ONNXModel(source: source, irVersion: Int(proto.irVersion), opsetVersion: opset, producer: producer,
                         graphName: graph.name, inputs: inputs, outputs: outputs, initializers: initializers, nodes: nodes,
                         metadata: Dictionary(proto.metadataProps.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }))
    }

    /// The default domain's opset; IR version 3 and later must declare it (onnx.proto `opset_import`).
    private func defaultOpset(_ proto: Onnx_ModelProto) throws -> Int {
        let versions = proto.opsetImport.filter { $0.domain.isEmpty || $0.domain == "ai.onnx" }.map { Int($0.version) }
        guard let version = versions.max() else {
            throw EngineError.format("\(source): the model declares no opset for the default ONNX domain (opset_import is empty)")
        }
        guard ONNXModel.supportedOpsets.contains(version) else {
            let bounds = ONNXModel.supportedOpsets
            throw EngineError.unsupported("\(source): the model uses ONNX opset \(version); ConvLens reads opsets \(bounds.lowerBound) to \(bounds.upperBound). "
                + "Export it again with one of those (torch.onnx.export(..., opset_version=17)) or convert it with onnx.version_converter.convert_version(model, 17)")
        }
        return version
    }
}
