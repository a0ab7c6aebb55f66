import Foundation
import XCTest
@testable import Engine

/// `ONNXExport` and the safetensors weights of a graph: what the file holds, and that reading
/// it back gives the same graph, layers, convention and outputs. onnxruntime runs the exported
/// networks in Tests/protocol/test_onnx_export.py.
final class ONNXExportTests: XCTestCase {
    private func tensor(_ shape: [Int], seed: UInt64, offset: Float = 0) throws -> Tensor {
        try Tensor(shape: shape, data: techniqueRandomValues(shape.reduce(1, *), seed: seed).map { $0 + offset })
    }

    /// Little-endian values of type `T` in `data`, read without assuming alignment.
    private func values<T>(_ data: Data, _ type: T.Type) -> [T] {
        data.withUnsafeBytes { raw in
            stride(from: 0, to: raw.count, by: MemoryLayout<T>.size).map { raw.loadUnaligned(fromByteOffset: $0, as: T.self) }
        }
    }

    /// Every `LayerOp` case on an input [N, 3, 8, 8], ending in 5 softmax scores.
    private func everyOpNetwork() throws -> GraphNetwork {
        func node(_ name: String, _ op: LayerOp, _ inputs: [String], _ parameters: [String: Tensor] = [:], layer: String? = nil) -> LayerNode {
            LayerNode(name: name, op: op, inputs: inputs, parameters: parameters, layer: layer)
        }
        let nodes = [
            // Asymmetric pads: 8 + 2 - 3 + 1 = 8 rows, 8 + 0 + 2 - 3 + 1 = 8 columns.
            node("c1", .convolution(ConvolutionAttributes(padding: .explicit(top: 1, left: 0, bottom: 1, right: 2))), ["input"],
                 ["weight": try tensor([4, 3, 3, 3], seed: 1), "bias": try tensor([4], seed: 2)], layer: "block1"),
            node("r1", .relu, ["c1"], layer: "block1"),
            // After a fused convolution the batch norm cannot fold, so it is written as BatchNormalization.
            node("bn", .batchNorm(epsilon: 1e-3), ["r1"], ["gamma": try tensor([4], seed: 3, offset: 1), "beta": try tensor([4], seed: 4),
                                                            "mean": try tensor([4], seed: 5), "variance": try tensor([4], seed: 6, offset: 1)]),
            node("r6", .relu6, ["bn"]),
            node("dw", .convolution(ConvolutionAttributes(stride: 2, padding: .same, groups: 4)), ["r6"],
                 ["weight": try tensor([4, 1, 3, 3], seed: 7)]),
            node("dilated", .convolution(ConvolutionAttributes(padding: .symmetric(2), dilation: 2)), ["dw"],
                 ["weight": try tensor([4, 4, 3, 3], seed: 8)]),
            node("hs", .hardSwish, ["dilated"]),
            node("sg", .sigmoid, ["hs"]),
            node("gate", .mul, ["hs", "sg"]),
            node("lk", .leakyReLU(slope: 0.1), ["gate"]),
            node("th", .tanh, ["lk"]),
            node("hsg", .hardSigmoid(alpha: 0.2, beta: 0.5), ["lk"]),
            node("diff", .sub, ["th", "hsg"]),
            node("shifted", .constantArithmetic(.add, constantFirst: true), ["hsg"], ["constant": try tensor([1, 4, 1, 1], seed: 9, offset: 3)]),
            node("ratio", .div, ["diff", "shifted"]),
            node("cat", .concat(axis: 1), ["ratio", "gate"]),
            node("mp", .maxPool(PoolAttributes(kernel: 3, stride: 2, ceilMode: true)), ["cat"]),
            node("ap", .averagePool(PoolAttributes(kernel: 2, stride: 1, padding: 1)), ["cat"]),
            node("gmp", .globalAveragePool, ["mp"]),
            node("gap", .globalAveragePool, ["ap"]),
            node("sum", .add, ["gmp", "gap"]),
            node("tr", .transpose(permutation: [0, 2, 3, 1]), ["sum"]),
            node("rs", .reshape(shape: [2, -1]), ["tr"]),
            node("flat", .flatten, ["rs"]),
            node("drop", .dropout(ratio: 0.3), ["flat"]),
            node("same", .identity, ["drop"]),
            node("fc", .linear, ["same"], ["weight": try tensor([5, 8], seed: 10), "bias": try tensor([5], seed: 11)]),
            node("scaled", .constantArithmetic(.multiply, constantFirst: false), ["fc"], ["constant": try tensor([5], seed: 12)]),
            node("minus", .constantArithmetic(.subtract, constantFirst: true), ["scaled"], ["constant": try tensor([1], seed: 13)]),
            node("over", .constantArithmetic(.divide, constantFirst: false), ["minus"], ["constant": try tensor([1], seed: 14, offset: 2)]),
            node("scores", .softmax(axis: 1), ["over"]),
        ]
        let graph = try LayerGraph(nodes: nodes, layerKinds: ["block1": "conv block"])
        let convention = try InputConvention(height: 8, width: 8, channelOrder: .bgr, scale: 255, mean: [1, 2, 3], std: [4, 5, 6],
                                             resizeShorterSide: 10, classNames: ["a", "b", "c", "d", "e"])
        return try GraphNetwork(name: "every_op", graph: graph, inputConvention: convention)
    }

    private func reimported(_ network: GraphNetwork) throws -> ONNXImporter.Imported {
        let bytes = try ONNXExport.encode(network)
        return try ONNXImporter.imported(from: try ONNXModel.decode(bytes, source: "\(network.name).onnx"),
                                         options: .init(name: network.name))
    }

    /// The same nodes (names, ops, inputs, layers, parameters bit for bit) and descriptions.
    private func assertSameGraph(_ a: LayerGraph, _ b: LayerGraph, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.nodes.map(\.name), b.nodes.map(\.name), file: file, line: line)
        XCTAssertEqual(a.output, b.output, file: file, line: line)
        XCTAssertEqual(a.layerKinds, b.layerKinds, file: file, line: line)
        for (x, y) in zip(a.nodes, b.nodes) {
            XCTAssertEqual(x.op, y.op, "node \(x.name)", file: file, line: line)
            XCTAssertEqual(x.inputs, y.inputs, "node \(x.name)", file: file, line: line)
            XCTAssertEqual(x.layerName, y.layerName, "node \(x.name)", file: file, line: line)
            XCTAssertEqual(Set(x.parameters.keys), Set(y.parameters.keys), "node \(x.name)", file: file, line: line)
            for (key, value) in x.parameters {
                XCTAssertEqual(value.shape, y.parameters[key]?.shape, "\(x.name).\(key)", file: file, line: line)
                XCTAssertEqual(value.data, y.parameters[key]?.data, "\(x.name).\(key)", file: file, line: line)
            }
        }
    }

    func testEveryOpRoundTripsWithItsConventionLayersAndOutputs() throws {
        let network = try everyOpNetwork()
        let back = try reimported(network)
        XCTAssertEqual(back.assumed, [], "a saved file states its whole convention")
        XCTAssertEqual(back.network.inputConvention, network.inputConvention)
        XCTAssertEqual(back.network.layers.map(\.name), network.layers.map(\.name))
        XCTAssertEqual(back.network.layers.map(\.kind), network.layers.map(\.kind))
        assertSameGraph(network.graph, back.network.graph)
        // The batch is free: two images in one pass.
        let x = try tensor([2, 3, 8, 8], seed: 20)
        let expected = try network.forward(x, capture: [], until: nil).output
        let actual = try back.network.forward(x, capture: [], until: nil).output
        XCTAssertEqual(actual.shape, [2, 5])
        XCTAssertEqual(actual.data, expected.data)
        // Softmax rows sum to 1, so the chain reached the end.
        XCTAssertEqual(expected.data[0..<5].reduce(0, +), 1, accuracy: 1e-5)
    }

    /// What the protobuf holds, field by field, against the ONNX IR and operator definitions.
    func testFileHoldsOpsetInputsFusedActivationsAndInitializers() throws {
        let network = try everyOpNetwork()
        let proto = try Onnx_ModelProto(serializedBytes: try ONNXExport.encode(network))
        XCTAssertEqual(proto.irVersion, 8)
        XCTAssertEqual(proto.producerName, "ConvLens")
        XCTAssertEqual(proto.opsetImport.map(\.version), [17])
        let input = proto.graph.input[0].type.tensorType.shape.dim
        XCTAssertEqual(proto.graph.input.map(\.name), ["input"])
        XCTAssertEqual(input.map(\.dimParam), ["N", "", "", ""])
        XCTAssertEqual(input.map(\.dimValue), [0, 3, 8, 8])
        XCTAssertEqual(proto.graph.output.map(\.name), ["scores"])
        XCTAssertEqual(proto.graph.output[0].type.tensorType.shape.dim.map(\.dimValue), [0, 5])
        let nodes = proto.graph.node
        // The fused convolution comes back apart: Conv then Relu, the Relu keeping the node's name.
        XCTAssertEqual(nodes.prefix(3).map(\.opType), ["Conv", "Relu", "BatchNormalization"])
        XCTAssertEqual(nodes.prefix(3).map(\.name), ["r1_conv", "r1", "bn"])
        XCTAssertEqual(nodes[0].input, ["input", "r1.weight", "r1.bias"])
        XCTAssertEqual(nodes[0].attribute.first { $0.name == "pads" }?.ints, [1, 0, 1, 2])
        XCTAssertEqual(nodes.first { $0.name == "dw" }?.attribute.first { $0.name == "auto_pad" }?.s, Data("SAME_UPPER".utf8))
        XCTAssertEqual(nodes.first { $0.name == "dw" }?.attribute.first { $0.name == "group" }?.i, 4)
        XCTAssertEqual(nodes.first { $0.name == "ap" }?.attribute.first { $0.name == "count_include_pad" }?.i, 1)
        XCTAssertEqual(nodes.first { $0.name == "fc" }?.attribute.first { $0.name == "transB" }?.i, 1)
        XCTAssertEqual(nodes.first { $0.name == "shifted" }?.input, ["shifted.constant", "hsg"])
        // relu6 is Clip with the scalar bounds 0 and 6 as inputs (opset 11 and later).
        let clip = try XCTUnwrap(nodes.first { $0.name == "r6" })
        XCTAssertEqual(clip.opType, "Clip")
        let bounds = clip.input.dropFirst().compactMap { name in proto.graph.initializer.first { $0.name == name } }
        XCTAssertEqual(bounds.map { values($0.rawData, Float.self) }, [[0], [6]])
        // Reshape keeps the batch with a leading 0.
        let target = try XCTUnwrap(proto.graph.initializer.first { $0.name == "rs.shape" })
        XCTAssertEqual(values(target.rawData, Int64.self), [0, 2, -1])
        // Parameters as float32 raw data, bit for bit.
        let weight = try XCTUnwrap(proto.graph.initializer.first { $0.name == "fc.weight" })
        XCTAssertEqual(weight.dims, [5, 8])
        XCTAssertEqual(values(weight.rawData, Float.self), network.graph.node("fc")?.parameters["weight"]?.data)
        let metadata = Dictionary(proto.metadataProps.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(metadata["convlens.classes"], #"["a","b","c","d","e"]"#)
        XCTAssertTrue(metadata["convlens.input"]?.contains(#""order":"bgr""#) == true)
    }

    func testRandomSqueezeNetAndEfficientNetRoundTripExactly() throws {
        for network in [try RandomNetworkWeights.squeezeNet(seed: 3), try RandomNetworkWeights.efficientNetLite0(seed: 4)] {
            let back = try reimported(network)
            XCTAssertEqual(back.assumed, [])
            assertSameGraph(network.graph, back.network.graph)
            XCTAssertEqual(back.network.layers.map(\.name), network.layers.map(\.name))
            let x = try tensor([1, 3, 224, 224], seed: 30)
            XCTAssertEqual(try back.network.forward(x, capture: [], until: nil).output.data,
                           try network.forward(x, capture: [], until: nil).output.data, network.name)
        }
    }

    func testAFileWithoutConventionStillAssumesImageNets() throws {
        let network = try everyOpNetwork()
        var proto = try ONNXExport.model(network)
        proto.metadataProps.removeAll { $0.key == "convlens.input" }
        let model = try ONNXModel.decode(try proto.serializedBytes(), source: "bare.onnx")
        let back = try ONNXImporter.imported(from: model, options: .init(name: "bare", scale: 255))
        XCTAssertEqual(back.assumed, ["order rgb", "mean 123.675, 116.28, 103.53", "std 58.395, 57.12, 57.375"])
        XCTAssertEqual(back.network.inputConvention.mean, [123.675, 116.28, 103.53])
    }

    func testBadMetadataIsRefusedNamingTheKey() throws {
        var proto = try ONNXExport.model(try everyOpNetwork())
        for index in proto.metadataProps.indices where proto.metadataProps[index].key == "convlens.input" {
            proto.metadataProps[index].value = #"{"height": 8}"#
        }
        let model = try ONNXModel.decode(try proto.serializedBytes(), source: "bad.onnx")
        XCTAssertThrowsError(try ONNXImporter.imported(from: model, options: .init(name: "bad"))) { error in
            XCTAssertTrue("\(error)".contains("bad.onnx: metadata 'convlens.input'"), "\(error)")
        }
    }

    func testWhatCannotBeWrittenIsNamed() throws {
        // A network cannot reach this (its shapes would not infer), a graph can.
        let squash = LayerNode(name: "squash", op: .reshape(shape: [0, 3]), inputs: ["input"])
        var writer = ONNXGraphWriter(graph: try LayerGraph(nodes: [squash]))
        XCTAssertThrowsError(try writer.write(squash)) { error in
            XCTAssertTrue("\(error)".contains("reshape to [0, 3] cannot be written"), "\(error)")
        }
        let folder = FileManager.default.temporaryDirectory.path
        XCTAssertThrowsError(try ONNXExport.write(try everyOpNetwork(), to: folder)) { error in
            XCTAssertTrue("\(error)".contains("a directory"), "\(error)")
        }
    }

    // MARK: - safetensors

    func testSafetensorsRoundTripIsBitExactAndRefusesOtherNetworks() throws {
        let network = try RandomNetworkWeights.squeezeNet(seed: 5)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("convlens-export-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try network.saveWeights(to: path)
        let weights = try WeightFile.load(path: path)
        XCTAssertEqual(weights.names, network.graph.namedParameters.map(\.name))
        XCTAssertEqual(weights["conv1/relu.weight"]?.shape, [64, 3, 3, 3])
        let other = try RandomNetworkWeights.squeezeNet(seed: 6)
        let loaded = try other.withWeights(weights, name: "copy")
        assertSameGraph(network.graph, loaded.graph)
        let x = try tensor([1, 3, 224, 224], seed: 31)
        XCTAssertEqual(try loaded.forward(x, capture: [], until: nil).output.data, try network.forward(x, capture: [], until: nil).output.data)

        var missing = NamedWeights(source: "short.safetensors")
        for name in weights.names.dropLast() { if let array = weights[name] { missing.set(name, array) } }
        missing.set("stray.weight", try WeightArray(shape: [1], values: [0]))
        XCTAssertThrowsError(try other.withWeights(missing, name: "x")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("lacks 1 tensor") && text.contains(weights.names.last ?? "?") && text.contains("stray.weight"), text)
        }
        var reshaped = weights
        reshaped.set("conv1/relu.bias", try WeightArray(shape: [63], values: [Float](repeating: 0, count: 63)))
        XCTAssertThrowsError(try other.withWeights(reshaped, name: "x")) { error in
            XCTAssertTrue("\(error)".contains("'conv1/relu.bias' has shape [63], the network's is [64]"), "\(error)")
        }
    }

    /// The header is the one the safetensors spec describes: 8-byte little-endian length, then JSON
    /// with dtype F32, shape and data_offsets, data packed in name order.
    func testSafetensorsHeaderFollowsTheSpec() throws {
        let network = try everyOpNetwork()
        let bytes = try network.encodedWeights()
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        let entry = try XCTUnwrap(header["fc.weight"] as? [String: Any])
        XCTAssertEqual(entry["dtype"] as? String, "F32")
        XCTAssertEqual(entry["shape"] as? [Int], [5, 8])
        let offsets = try XCTUnwrap(entry["data_offsets"] as? [Int])
        XCTAssertEqual(offsets[1] - offsets[0], 160)
        let values = values(Data(bytes[(8 + length + offsets[0])..<(8 + length + offsets[1])]), Float.self)
        XCTAssertEqual(values, network.graph.node("fc")?.parameters["weight"]?.data)
        XCTAssertEqual((header["__metadata__"] as? [String: String])?["convlens.network"], "every_op")
    }
}
