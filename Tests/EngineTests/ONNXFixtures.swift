import Foundation
import SwiftProtobuf
@testable import Engine

/// Builds ONNX models in tests with the generated onnx.proto messages, serializes them with
/// swift-protobuf and writes them to temporary files, so that reading goes the way a user's
/// file does (BoundedFile, protobuf decoding, validation).
enum ONNXFixtures {
    static func tensor(_ name: String, _ type: Onnx_TensorProto.DataType, dims: [Int64],
                       _ configure: (inout Onnx_TensorProto) -> Void = { _ in }) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dataType = Int32(type.rawValue)
        tensor.dims = dims
        configure(&tensor)
        return tensor
    }

    static func floats(_ name: String, dims: [Int64], _ values: [Float]) -> Onnx_TensorProto {
        tensor(name, .float, dims: dims) { $0.floatData = values }
    }

    static func int64s(_ name: String, dims: [Int64], _ values: [Int64]) -> Onnx_TensorProto {
        tensor(name, .int64, dims: dims) { $0.int64Data = values }
    }

    /// Little-endian bytes of fixed-width integers, as `raw_data` stores them.
    static func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> Data {
        var data = Data()
        for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func attribute(_ name: String, _ configure: (inout Onnx_AttributeProto) -> Void) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        configure(&attribute)
        return attribute
    }

    static func int(_ name: String, _ value: Int64) -> Onnx_AttributeProto {
        attribute(name) { $0.type = .int; $0.i = value }
    }

    static func ints(_ name: String, _ values: [Int64]) -> Onnx_AttributeProto {
        attribute(name) { $0.type = .ints; $0.ints = values }
    }

    static func tensorAttribute(_ name: String, _ value: Onnx_TensorProto) -> Onnx_AttributeProto {
        attribute(name) { $0.type = .tensor; $0.t = value }
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String = "",
                     domain: String = "", attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = op
        node.input = inputs
        node.output = outputs
        node.name = name
        node.domain = domain
        node.attribute = attributes
        return node
    }

    /// A FLOAT value with dimensions given as sizes (Int) or names (String).
    static func value(_ name: String, _ dims: [Any], type: Onnx_TensorProto.DataType = .float) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(type.rawValue)
        var shape = Onnx_TensorShapeProto()
        shape.dim = dims.map { dim in
            var dimension = Onnx_TensorShapeProto.Dimension()
            if let size = dim as? Int { dimension.dimValue = Int64(size) }
            if let param = dim as? String { dimension.dimParam = param }
            return dimension
        }
        tensorType.shape = shape
        info.type.tensorType = tensorType
        return info
    }

    static func model(opset: Int64 = 17, nodes: [Onnx_NodeProto], initializers: [Onnx_TensorProto] = [],
                      inputs: [Onnx_ValueInfoProto], outputs: [Onnx_ValueInfoProto]) -> Onnx_ModelProto {
        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.producerName = "ConvLens tests"
        var opsetImport = Onnx_OperatorSetIdProto()
        opsetImport.domain = ""
        opsetImport.version = opset
        model.opsetImport = [opsetImport]
        var graph = Onnx_GraphProto()
        graph.name = "test"
        graph.node = nodes
        graph.initializer = initializers
        graph.input = inputs
        graph.output = outputs
        model.graph = graph
        return model
    }

    /// Writes `model` to a fresh temporary .onnx file and returns its path.
    static func write(_ model: Onnx_ModelProto, name: String = "model") throws -> String {
        let bytes: Data = try model.serializedBytes()
        let path = NSTemporaryDirectory() + "convlens-\(name)-\(UInt32.random(in: 0...UInt32.max)).onnx"
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes `model`, reads it back through `ONNXModel.read` and removes the file.
    static func roundTrip(_ model: Onnx_ModelProto, name: String = "model") throws -> ONNXModel {
        let path = try write(model, name: name)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ONNXModel.read(path)
    }

    /// A one-node model around a single initializer, for decoding tests.
    static func modelWithInitializer(_ tensor: Onnx_TensorProto) -> Onnx_ModelProto {
        model(nodes: [node("Identity", [tensor.name], ["y"], name: "pass")], initializers: [tensor],
              inputs: [], outputs: [value("y", [])])
    }
}
