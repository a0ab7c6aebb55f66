import Foundation
import XCTest
@testable import Engine

/// Constant folding of exporter shape arithmetic and of weight quantization.
final class ONNXConstantFoldingTests: XCTestCase {
    private typealias F = ONNXFixtures

    /// torch.onnx's `x.view(x.size(0), -1)` after conv + pool, then a linear layer:
    /// Shape -> Gather(0) -> Unsqueeze -> Concat(with [-1]) -> Reshape.
    private func flattenModel() -> Onnx_ModelProto {
        F.model(nodes: [
            F.node("Conv", ["x", "w", "b"], ["conv"], name: "conv", attributes: [F.ints("pads", [1, 1, 1, 1]), F.ints("kernel_shape", [3, 3])]),
            F.node("Relu", ["conv"], ["relu"], name: "relu"),
            F.node("MaxPool", ["relu"], ["pool"], name: "pool", attributes: [F.ints("kernel_shape", [2, 2]), F.ints("strides", [2, 2])]),
            F.node("Shape", ["pool"], ["shape"], name: "shape"),
            F.node("Constant", [], ["zero"], name: "zero", attributes: [F.tensorAttribute("value", F.int64s("", dims: [], [0]))]),
            F.node("Gather", ["shape", "zero"], ["batch"], name: "gather", attributes: [F.int("axis", 0)]),
            F.node("Constant", [], ["axes"], name: "axes", attributes: [F.tensorAttribute("value", F.int64s("", dims: [1], [0]))]),
            F.node("Unsqueeze", ["batch", "axes"], ["batch1"], name: "unsqueeze"),
            F.node("Constant", [], ["minus1"], name: "minus1", attributes: [F.attribute("value_ints") { $0.type = .ints; $0.ints = [-1] }]),
            F.node("Concat", ["batch1", "minus1"], ["target"], name: "concat", attributes: [F.int("axis", 0)]),
            F.node("Reshape", ["pool", "target"], ["flat"], name: "reshape"),
            F.node("Gemm", ["flat", "fc", "fcb"], ["y"], name: "fc", attributes: [F.int("transB", 1)]),
        ], initializers: [
            F.floats("w", dims: [4, 3, 3, 3], [Float](repeating: 0.5, count: 108)),
            F.floats("b", dims: [4], [0, 1, 2, 3]),
            F.floats("fc", dims: [10, 64], [Float](repeating: 0.25, count: 640)),
            F.floats("fcb", dims: [10], [Float](repeating: 0, count: 10)),
        ], inputs: [F.value("x", ["batch", 3, 8, 8])], outputs: [F.value("y", ["batch", 10])])
    }

    func testFlattenChainFoldsToAConstantShape() throws {
        let model = try F.roundTrip(flattenModel(), name: "flatten")
        let folded = try ONNXConstantFolding.fold(model, inputShapes: ["x": [2, 3, 8, 8]])
        XCTAssertEqual(folded.model.nodes.map(\.opType), ["Conv", "Relu", "MaxPool", "Reshape", "Gemm"])
        XCTAssertEqual(folded.foldedNodes, ["shape", "zero", "gather", "axes", "unsqueeze", "minus1", "concat"])
        let reshape = folded.model.nodes[3]
        XCTAssertEqual(reshape.inputs, ["pool", "target"])
        // Batch 2 from the input, then -1 as written: the engine resolves -1 to 4 * 4 * 4.
        XCTAssertEqual(folded.model.initializers["target"], try ONNXTensor(dims: [2], integers: [2, -1]))
        XCTAssertEqual(folded.shapes["pool"], [2, 4, 4, 4])
        XCTAssertEqual(folded.shapes["flat"], [2, 64])
        XCTAssertEqual(folded.shapes["y"], [2, 10])
        XCTAssertEqual(folded.model.inputs[0].staticShape, [2, 3, 8, 8])
        // Intermediate constants nobody reads any more are dropped.
        XCTAssertEqual(Set(folded.model.initializerNames), ["w", "b", "target", "fc", "fcb"])
        XCTAssertTrue(folded.model.nodes.allSatisfy { ONNXOperators.computed.contains($0.opType) })
    }

    func testShapeOfAnInputWithoutASizeIsRefusedNamingTheInput() throws {
        let model = try F.roundTrip(flattenModel(), name: "flatten")
        XCTAssertThrowsError(try ONNXConstantFolding.fold(model)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(model.source), text)
            XCTAssertTrue(text.contains("node 'shape' (Shape)"), text)
            XCTAssertTrue(text.contains("x [batch, 3, 8, 8]"), text)
        }
        XCTAssertThrowsError(try ONNXConstantFolding.fold(model, inputShapes: ["x": [2, 4, 8, 8]])) { error in
            XCTAssertTrue("\(error)".contains("declared x [batch, 3, 8, 8]"), "\(error)")
        }
        XCTAssertThrowsError(try ONNXConstantFolding.fold(model, inputShapes: ["image": [1, 3, 8, 8]])) { error in
            XCTAssertTrue("\(error)".contains("no input named 'image'"), "\(error)")
        }
    }

    func testResizeTargetFromShapeSliceCastAndConcat() throws {
        // sizes = Concat(Slice(Shape(x), 0, 2), Cast(Mul(Cast(Slice(Shape(x), 2, 4), float), 2), int64)):
        // what exporters write for F.interpolate(x, scale_factor=2).
        let proto = F.model(nodes: [
            F.node("Shape", ["x"], ["s"], name: "shape"),
            F.node("Slice", ["s", "zero", "two"], ["nc"], name: "nc"),
            F.node("Slice", ["s", "two", "big", "axes0", "one"], ["hw"], name: "hw"),
            F.node("Cast", ["hw"], ["hwf"], name: "tofloat", attributes: [F.int("to", 1)]),
            F.node("Mul", ["hwf", "scale"], ["hw2f"], name: "double"),
            F.node("Cast", ["hw2f"], ["hw2"], name: "toint", attributes: [F.int("to", 7)]),
            F.node("Concat", ["nc", "hw2"], ["sizes"], name: "sizes", attributes: [F.int("axis", 0)]),
            F.node("Resize", ["x", "", "", "sizes"], ["y"], name: "resize", attributes: [F.attribute("mode") { $0.type = .string; $0.s = Data("nearest".utf8) }]),
        ], initializers: [
            F.int64s("zero", dims: [1], [0]), F.int64s("two", dims: [1], [2]),
            F.int64s("big", dims: [1], [Int64.max]), F.int64s("axes0", dims: [1], [-1 + 1]), F.int64s("one", dims: [1], [1]),
            F.floats("scale", dims: [], [2]),
        ], inputs: [F.value("x", [1, 3, "h", "w"])], outputs: [F.value("y", [1, 3, "h2", "w2"])])
        let folded = try ONNXConstantFolding.fold(try F.roundTrip(proto), inputShapes: ["x": [1, 3, 5, 7]])
        XCTAssertEqual(folded.model.nodes.map(\.opType), ["Resize"])
        XCTAssertEqual(folded.model.initializers["sizes"]?.integers, [1, 3, 10, 14])
        XCTAssertEqual(folded.model.initializers["sizes"]?.elementType, .int64)
        XCTAssertEqual(folded.shapes["y"], [1, 3, 10, 14])
    }

    func testReflectPadPatternOfTorchFoldsToPads() throws {
        // The pattern torch 2 writes for F.pad(x, (1, 1, 2, 2), "reflect") (as in multistyle26.onnx):
        // ConstantOfShape zeros, Concat with the pads, Reshape to [-1, 2], Slice reversed, Transpose, Reshape, Cast.
        let proto = F.model(nodes: [
            F.node("Constant", [], ["n"], name: "n", attributes: [F.tensorAttribute("value", F.int64s("", dims: [1], [4]))]),
            F.node("ConstantOfShape", ["n"], ["zeros"], name: "zeros", attributes: [F.tensorAttribute("value", F.int64s("", dims: [1], [0]))]),
            F.node("Concat", ["pads", "zeros"], ["all"], name: "all", attributes: [F.int("axis", 0)]),
            F.node("Reshape", ["all", "pairs"], ["pairs2"], name: "pairs"),
            F.node("Slice", ["pairs2", "minus1", "min", "zero", "minus1"], ["reversed"], name: "reverse"),
            F.node("Transpose", ["reversed"], ["t"], name: "t", attributes: [F.ints("perm", [1, 0])]),
            F.node("Reshape", ["t", "flat"], ["onnxpads"], name: "flatten"),
            F.node("Cast", ["onnxpads"], ["padsint"], name: "cast", attributes: [F.int("to", 7)]),
            F.node("Pad", ["x", "padsint"], ["y"], name: "pad", attributes: [F.attribute("mode") { $0.type = .string; $0.s = Data("reflect".utf8) }]),
        ], initializers: [
            F.int64s("pads", dims: [4], [1, 1, 2, 2]), F.int64s("pairs", dims: [2], [-1, 2]),
            F.int64s("minus1", dims: [1], [-1]), F.int64s("min", dims: [1], [Int64.min + 1]), F.int64s("zero", dims: [1], [0]),
            F.int64s("flat", dims: [1], [-1]),
        ], inputs: [F.value("x", [1, 3, 8, 8])], outputs: [F.value("y", [1, 3, 12, 10])])
        let folded = try ONNXConstantFolding.fold(try F.roundTrip(proto))
        XCTAssertEqual(folded.model.nodes.map(\.opType), ["Pad"])
        // torch's (w_begin, w_end, h_begin, h_end) become ONNX's (n, c, h, w begins, then ends).
        XCTAssertEqual(folded.model.initializers["padsint"]?.integers, [0, 0, 2, 1, 0, 0, 2, 1])
        XCTAssertEqual(folded.shapes["y"], [1, 3, 12, 10])
    }

    func testQuantizeDequantizePairOfAnInitializerIsDequantized() throws {
        // Scale 0.5, int8 zero point 0: 1.3 -> 2.6 -> 3 -> 1.5; -0.2 -> -0.4 -> 0; 100 -> 200 saturates
        // at 127 -> 63.5; 1.25 -> 2.5 rounds half to even -> 2 -> 1.
        let proto = F.model(nodes: [
            F.node("QuantizeLinear", ["w", "scale", "zp"], ["wq"], name: "q"),
            F.node("DequantizeLinear", ["wq", "scale", "zp"], ["wd"], name: "dq"),
            F.node("Conv", ["x", "wd"], ["y"], name: "conv"),
        ], initializers: [
            F.floats("w", dims: [1, 1, 2, 2], [1.3, -0.2, 100, 1.25]),
            F.floats("scale", dims: [], [0.5]),
            F.tensor("zp", .int8, dims: [], { $0.int32Data = [0] }),
        ], inputs: [F.value("x", [1, 1, 4, 4])], outputs: [F.value("y", [1, 1, 3, 3])])
        let folded = try ONNXConstantFolding.fold(try F.roundTrip(proto))
        XCTAssertEqual(folded.model.nodes.map(\.opType), ["Conv"])
        let weights = try XCTUnwrap(folded.model.initializers["wd"])
        XCTAssertEqual(weights.dims, [1, 1, 2, 2])
        for (value, expected) in zip(weights.floats, [Float(1.5), 0, 63.5, 1]) { XCTAssertEqual(value, expected, accuracy: 1e-6) }
        XCTAssertEqual(folded.shapes["y"], [1, 1, 3, 3])
        XCTAssertEqual(Set(folded.model.initializerNames), ["wd"])
    }

    func testPerAxisDequantizationOfUInt8Weights() throws {
        // Per output channel (axis 0): scales 0.5 and 2, zero points 128 and 100.
        let proto = F.model(nodes: [F.node("DequantizeLinear", ["wq", "s", "z"], ["w"], name: "dq", attributes: [F.int("axis", 0)]),
                                    F.node("MatMul", ["x", "w"], ["y"], name: "mm")],
                            initializers: [F.tensor("wq", .uint8, dims: [2, 3]) { $0.rawData = Data([130, 126, 128, 100, 255, 0]) },
                                           F.floats("s", dims: [2], [0.5, 2]),
                                           F.tensor("z", .uint8, dims: [2]) { $0.rawData = Data([128, 100]) }],
                            inputs: [F.value("x", [4, 2])], outputs: [F.value("y", [4, 3])])
        let folded = try ONNXConstantFolding.fold(try F.roundTrip(proto))
        XCTAssertEqual(folded.model.initializers["w"]?.floats, [1, -1, 0, 0, 310, -200])
        XCTAssertEqual(folded.shapes["y"], [4, 3])
    }

    func testActivationQuantizationAndGatherOnActivationsAreRefused() throws {
        let quantized = F.model(nodes: [F.node("QuantizeLinear", ["x", "s"], ["q"], name: "qx"),
                                        F.node("DequantizeLinear", ["q", "s"], ["y"], name: "dqx")],
                                initializers: [F.floats("s", dims: [], [0.1])],
                                inputs: [F.value("x", [1, 4])], outputs: [F.value("y", [1, 4])])
        let model = try F.roundTrip(quantized)
        XCTAssertThrowsError(try ONNXConstantFolding.fold(model)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(model.source) && text.contains("node 'qx' (QuantizeLinear)") && text.contains("activation quantization"), text)
        }
        let gather = F.model(nodes: [F.node("Gather", ["x", "i"], ["y"], name: "pick", attributes: [F.int("axis", 1)])],
                             initializers: [F.int64s("i", dims: [1], [2])],
                             inputs: [F.value("x", [1, 4])], outputs: [F.value("y", [1, 1])])
        let gatherModel = try F.roundTrip(gather)
        XCTAssertThrowsError(try ONNXConstantFolding.fold(gatherModel)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(gatherModel.source) && text.contains("node 'pick' (Gather) computes on 'x'"), text)
            XCTAssertTrue(text.contains("Constant, Shape, Gather, Slice"), text)
        }
    }

    func testGatherSqueezeAndIntegerArithmeticOnConstants() throws {
        // Gather rows 2 and 0 (negative index -1 wraps to 2) of a 3x2 matrix, Squeeze, then
        // integer Div truncates toward zero: [5, 6] / [2, -4] = [2, -1].
        let proto = F.model(nodes: [
            F.node("Gather", ["m", "rows"], ["picked"], name: "g", attributes: [F.int("axis", 0)]),
            F.node("Squeeze", ["picked", "axes"], ["row"], name: "sq"),
            F.node("Div", ["row", "d"], ["q"], name: "div"),
            F.node("Reshape", ["x", "q"], ["y"], name: "r", attributes: []),
        ], initializers: [F.int64s("m", dims: [3, 2], [1, 2, 3, 4, 5, 6]), F.int64s("rows", dims: [1], [-1]),
                          F.int64s("axes", dims: [1], [0]), F.int64s("d", dims: [2], [2, -4])],
           inputs: [F.value("x", [1, 2])], outputs: [F.value("y", [2, 1])])
        // Reshape to [2, -1] of a [1, 2] input is [2, 1].
        let folded = try ONNXConstantFolding.fold(try F.roundTrip(proto))
        XCTAssertEqual(folded.model.initializers["q"]?.integers, [2, -1])
        XCTAssertEqual(folded.shapes["y"], [2, 1])
    }

    func testShapeInferenceOfWindowsMatchesTheOperatorFormulas() throws {
        // MaxPool 3x3 stride 2 with ceil_mode on 10x10: ceil((10 - 3) / 2) + 1 = 5, and the last
        // window starts at 8 < 10, so it stays. Conv with dilation 2, stride 2, pads 1 on 11: (11 + 2 - 5) / 2 + 1 = 5.
        // ConvTranspose stride 2, kernel 4, pads 1 on 5: 2 * 4 + 4 - 2 = 10; 8 output channels from weight [3, 4, 4, 4] with group 2.
        let proto = F.model(nodes: [
            F.node("MaxPool", ["x"], ["p"], name: "p", attributes: [F.ints("kernel_shape", [3, 3]), F.ints("strides", [2, 2]), F.int("ceil_mode", 1)]),
            F.node("Conv", ["z", "w"], ["c"], name: "c", attributes: [F.ints("dilations", [2, 2]), F.ints("strides", [2, 2]), F.ints("pads", [1, 1, 1, 1])]),
            F.node("ConvTranspose", ["t", "tw"], ["u"], name: "u", attributes: [F.ints("strides", [2, 2]), F.ints("pads", [1, 1, 1, 1]), F.int("group", 2)]),
            F.node("GlobalAveragePool", ["u"], ["gap"], name: "gap"),
            F.node("ReduceMean", ["c"], ["m"], name: "m", attributes: [F.ints("axes", [2, 3]), F.int("keepdims", 0)]),
        ], initializers: [F.floats("w", dims: [6, 2, 3, 3], [Float](repeating: 0, count: 108)),
                          F.floats("tw", dims: [6, 4, 4, 4], [Float](repeating: 0, count: 384))],
           inputs: [F.value("x", [1, 2, 10, 10]), F.value("z", [1, 2, 11, 11]), F.value("t", [1, 6, 5, 5])],
           outputs: [F.value("p", [1, 2, 5, 5]), F.value("m", [1, 6]), F.value("gap", [1, 8, 1, 1])])
        let folded = try ONNXConstantFolding.fold(try F.roundTrip(proto))
        XCTAssertEqual(folded.shapes["p"], [1, 2, 5, 5])
        XCTAssertEqual(folded.shapes["c"], [1, 6, 5, 5])
        XCTAssertEqual(folded.shapes["u"], [1, 8, 10, 10])
        XCTAssertEqual(folded.shapes["gap"], [1, 8, 1, 1])
        XCTAssertEqual(folded.shapes["m"], [1, 6])
    }

    func testCastRoundsLikeItsTargetTypeAndConstantOfShapeDefaultsToFloatZero() throws {
        // To FLOAT16: 0.1 -> 0.0999755859375 (nearest half), 70000 -> inf. To INT64: truncation toward zero.
        // To BOOL: nonzero -> 1. ConstantOfShape without a value: FLOAT zeros.
        let proto = F.model(nodes: [
            F.node("Cast", ["v"], ["half"], name: "half", attributes: [F.int("to", 10)]),
            F.node("Cast", ["v"], ["long"], name: "long", attributes: [F.int("to", 7)]),
            F.node("Cast", ["v"], ["flag"], name: "flag", attributes: [F.int("to", 9)]),
            F.node("ConstantOfShape", ["dims"], ["zeros"], name: "zeros"),
            F.node("Concat", ["x", "half", "long", "flag"], ["y"], name: "join", attributes: [F.int("axis", 0)]),
            F.node("Add", ["x", "zeros"], ["z"], name: "add"),
        ], initializers: [F.floats("v", dims: [4], [0.1, -2.7, 0, 70000]), F.int64s("dims", dims: [1], [4])],
           inputs: [F.value("x", [4])], outputs: [F.value("y", [16]), F.value("z", [4])])
        let folded = try ONNXConstantFolding.fold(try F.roundTrip(proto))
        let constants = folded.model.initializers
        XCTAssertEqual(constants["half"]?.elementType, .float16)
        XCTAssertEqual(constants["half"]?.floats, [0.0999755859375, -2.69921875, 0, .infinity])
        XCTAssertEqual(constants["long"]?.integers, [0, -2, 0, 70000])
        XCTAssertEqual(constants["flag"]?.integers, [1, 1, 0, 1])
        XCTAssertEqual(constants["zeros"], try ONNXTensor(dims: [4], floats: [0, 0, 0, 0]))
        XCTAssertEqual(folded.shapes["y"], [16])
        XCTAssertEqual(folded.model.nodes.map(\.opType), ["Concat", "Add"])
    }
}
