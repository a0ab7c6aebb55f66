import Foundation
import SwiftProtobuf

/// Writes a `GraphNetwork` as an ONNX model (https://onnx.ai/onnx/repo-docs/IR.html, onnx.proto):
/// opset 17, IR version 8, producer "ConvLens", serialised with swift-protobuf.
///
/// The graph written is the network's folded graph (`GraphNetwork.graph`): batch norms that
/// were folded into convolutions are in the convolution's weights, and a convolution with a
/// fused ReLU/ReLU6 is written as a Conv followed by a Relu or Clip(0, 6) node, so every ONNX
/// runtime reads it. One ONNX node per layer-graph node (two for a fused convolution), named
/// after it, whose output value has the node's name; parameters are initializers named
/// "node.parameter" ("fire2_squeeze.weight"), float32. The graph input is "input",
/// [N, C, H, W] with a free batch "N" and the convention's size; the one graph output is the
/// network's output node, [N, ...]. Nodes that do not lead to the output are not written.
///
/// The input convention, class names and layer grouping go to `metadata_props`
/// (`ONNXExportMetadata`), which `ONNXImporter` reads back: re-importing the file gives the
/// same graph, the same layers and the same outputs.
public enum ONNXExport {
    public static let opsetVersion = 17
    public static let irVersion = 8
    public static let producerName = "ConvLens"

    /// The serialised `ModelProto` of `network`. Throws `EngineError.unsupported` naming the
    /// node when a node cannot be expressed in ONNX (see `ONNXGraphWriter.write`).
    public static func encode(_ network: GraphNetwork) throws -> [UInt8] {
        try serialized(try model(network), name: network.name)
    }

    /// A bare layer graph for an input of `inputShape` ([N, ...], any rank and channel count),
    /// without an input convention: what `convlens onnx-run --export` writes for the fixtures.
    public static func encode(_ graph: LayerGraph, name: String, inputShape: [Int]) throws -> [UInt8] {
        try serialized(try model(graph, name: name, inputShape: inputShape, convention: nil), name: name)
    }

    private static func serialized(_ proto: Onnx_ModelProto, name: String) throws -> [UInt8] {
        do {
            return try proto.serializedBytes()
        } catch {
            throw EngineError.invalid("\(name): the ONNX model does not serialise: \(error)")
        }
    }

    /// Writes `network` to `path` atomically through `BoundedFile.write` (which refuses
    /// directories, FIFOs and devices and names the path in its errors).
    public static func write(_ network: GraphNetwork, to path: String) throws {
        try BoundedFile.write(Data(try encode(network)), to: path)
    }

    /// The `ModelProto` of `network`.
    static func model(_ network: GraphNetwork) throws -> Onnx_ModelProto {
        let convention = network.inputConvention
        return try model(network.graph, name: network.name,
                         inputShape: [1, convention.channels, convention.height, convention.width], convention: convention)
    }

    /// The `ModelProto` of `graph` for inputs of `inputShape`; the convention, when given, goes
    /// to the metadata.
    static func model(_ graph: LayerGraph, name: String, inputShape: [Int], convention: InputConvention?) throws -> Onnx_ModelProto {
        let shapes: [String: [Int]]
        do {
            shapes = try graph.shapes(input: inputShape)
        } catch let error as EngineError {
            throw EngineError.invalid("\(name): cannot export, the graph's shapes do not infer: \(error.description)")
        }
        var writer = ONNXGraphWriter(graph: graph)
        for position in graph.ancestors(of: [graph.output]) {
            try Cancellation.check()
            let node = graph.nodes[position]
            do {
                try writer.write(node, inputShapes: node.inputs.compactMap { shapes[$0] })
            } catch let error as EngineError {
                throw LayerGraph.naming(node, inputShapes: node.inputs.compactMap { shapes[$0] }, error)
            }
        }

        var onnxGraph = Onnx_GraphProto()
        onnxGraph.name = name
        onnxGraph.node = writer.nodes
        onnxGraph.initializer = writer.initializers
        onnxGraph.input = [valueInfo(LayerGraph.inputName, shape: inputShape)]
        onnxGraph.output = [valueInfo(graph.output, shape: shapes[graph.output] ?? [1])]

        var model = Onnx_ModelProto()
        model.irVersion = Int64(irVersion)
        model.producerName = producerName
        model.modelVersion = 1
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Int64(opsetVersion)
        model.opsetImport = [opset]
        model.graph = onnxGraph
        guard let convention else { return model }
        model.metadataProps = try ONNXExportMetadata.entries(convention: convention, layers: writer.layers,
                                                             layerKinds: graph.layerKinds).map { entry in
            var property = Onnx_StringStringEntryProto()
            property.key = entry.key
            property.value = entry.value
            return property
        }
        return model
    }

    /// A float tensor value [N, rest...] with the batch free ("N").
    private static func valueInfo(_ name: String, shape: [Int]) -> Onnx_ValueInfoProto {
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var shapeProto = Onnx_TensorShapeProto()
        shapeProto.dim = shape.enumerated().map { axis, size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            if axis == 0 { dimension.dimParam = "N" } else { dimension.dimValue = Int64(size) }
            return dimension
        }
        tensorType.shape = shapeProto
        var type = Onnx_TypeProto()
        type.tensorType = tensorType
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }
}
