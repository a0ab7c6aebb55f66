import Foundation
import XCTest
@testable import Engine

/// Reading .onnx files: every element type through raw_data and the typed fields, attributes,
/// opset and operator checks, and errors that name the file.
final class ONNXModelTests: XCTestCase {
    private typealias F = ONNXFixtures

    private func initializer(_ tensor: Onnx_TensorProto) throws -> ONNXTensor {
        let model = try F.roundTrip(F.modelWithInitializer(tensor), name: "init")
        return try XCTUnwrap(model.initializers[tensor.name])
    }

    private func assertError<T>(_ expression: @autoclosure () throws -> T, contains fragments: [String],
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            let text = "\(error)"
            for fragment in fragments {
                XCTAssertTrue(text.contains(fragment), "'\(fragment)' missing from: \(text)", file: file, line: line)
            }
        }
    }

    // MARK: - Initializers

    func testFloatInitializersFromRawDataAndFloatData() throws {
        let values: [Float] = [1.5, -2.25, 3e-8, 65504, -0.0, 7]
        let raw = try initializer(F.tensor("w", .float, dims: [2, 3]) { $0.rawData = F.littleEndian(values.map(\.bitPattern)) })
        XCTAssertEqual(raw.elementType, .float)
        XCTAssertEqual(raw.dims, [2, 3])
        XCTAssertEqual(raw.values, .floats(values))
        let typed = try initializer(F.floats("w", dims: [2, 3], values))
        XCTAssertEqual(typed, raw)
    }

    func testHalfPrecisionDecodesBitPatternsExactly() throws {
        // 1, -2, 0.333251953125, the smallest subnormal 2^-24, the largest half 65504, -inf.
        let bits: [UInt16] = [0x3C00, 0xC000, 0x3555, 0x0001, 0x7BFF, 0xFC00]
        let expected: [Float] = [1, -2, 0.333251953125, 5.9604644775390625e-08, 65504, -.infinity]
        let raw = try initializer(F.tensor("h", .float16, dims: [6]) { $0.rawData = F.littleEndian(bits) })
        XCTAssertEqual(raw.elementType, .float16)
        XCTAssertEqual(raw.floats, expected)
        // The typed form keeps the bit patterns in int32_data (onnx.proto).
        let typed = try initializer(F.tensor("h", .float16, dims: [6]) { $0.int32Data = bits.map { Int32($0) } })
        XCTAssertEqual(typed.floats, expected)
    }

    func testDoubleAndBFloat16NarrowToFloat() throws {
        let doubles: [Double] = [0.1, -1e10, 2.5]
        let raw = try initializer(F.tensor("d", .double, dims: [3]) { $0.rawData = F.littleEndian(doubles.map(\.bitPattern)) })
        XCTAssertEqual(raw.floats, [Float(0.1), -1e10, 2.5])
        let typed = try initializer(F.tensor("d", .double, dims: [3]) { $0.doubleData = doubles })
        XCTAssertEqual(typed.floats, raw.floats)
        // bfloat16 0x3FC0 = 1.5, 0xC120 = -10.
        let brain = try initializer(F.tensor("b", .bfloat16, dims: [2]) { $0.rawData = F.littleEndian([UInt16(0x3FC0), 0xC120]) })
        XCTAssertEqual(brain.floats, [1.5, -10])
    }

    func testIntegerInitializersStayExact() throws {
        // 2^53 + 1 and Int64.max are not representable as Float or Double; shape arithmetic needs them exact.
        let longs: [Int64] = [-3, 9_007_199_254_740_993, .max]
        let raw64 = try initializer(F.tensor("l", .int64, dims: [3]) { $0.rawData = F.littleEndian(longs) })
        XCTAssertEqual(raw64.integers, longs)
        XCTAssertEqual(try initializer(F.int64s("l", dims: [3], longs)).integers, longs)

        let raw32 = try initializer(F.tensor("i", .int32, dims: [2]) { $0.rawData = F.littleEndian([Int32(-7), 123_456]) })
        XCTAssertEqual(raw32.integers, [-7, 123_456])
        XCTAssertEqual(try initializer(F.tensor("i", .int32, dims: [2]) { $0.int32Data = [-7, 123_456] }).integers, [-7, 123_456])

        let raw8 = try initializer(F.tensor("q", .int8, dims: [3]) { $0.rawData = Data([0xFF, 0x80, 0x7F]) })
        XCTAssertEqual(raw8.integers, [-1, -128, 127])
        XCTAssertEqual(raw8.floats, [-1, -128, 127])
        XCTAssertEqual(try initializer(F.tensor("q", .int8, dims: [3]) { $0.int32Data = [-1, -128, 127] }).integers, [-1, -128, 127])

        let rawU8 = try initializer(F.tensor("u", .uint8, dims: [2, 1]) { $0.rawData = Data([0xFF, 0x00]) })
        XCTAssertEqual(rawU8.integers, [255, 0])
        XCTAssertEqual(rawU8.dims, [2, 1])
        XCTAssertEqual(try initializer(F.tensor("u", .uint8, dims: [2, 1]) { $0.int32Data = [255, 0] }).integers, [255, 0])
    }

    func testScalarAndEmptyInitializers() throws {
        let scalar = try initializer(F.floats("s", dims: [], [4.5]))
        XCTAssertEqual(scalar.dims, [])
        XCTAssertEqual(scalar.floats, [4.5])
        let empty = try initializer(F.int64s("e", dims: [0], []))
        XCTAssertEqual(empty.dims, [0])
        XCTAssertEqual(empty.integers, [])
    }

    func testBrokenInitializersAreRefusedNamingFileAndTensor() throws {
        let truncated = try F.write(F.modelWithInitializer(F.tensor("w", .float, dims: [2, 2]) { $0.rawData = Data(count: 15) }))
        defer { try? FileManager.default.removeItem(atPath: truncated) }
        assertError(try ONNXModel.read(truncated), contains: [truncated, "initializer 'w'", "16 bytes", "the file has 15"])

        let short = try F.write(F.modelWithInitializer(F.floats("w", dims: [3], [1, 2])))
        defer { try? FileManager.default.removeItem(atPath: short) }
        assertError(try ONNXModel.read(short), contains: [short, "'w'", "float_data", "expected 3"])

        let external = try F.write(F.modelWithInitializer(F.tensor("big", .float, dims: [4]) { tensor in
            tensor.dataLocation = .external
            var entry = Onnx_StringStringEntryProto()
            entry.key = "location"
            entry.value = "weights.bin"
            tensor.externalData = [entry]
        }))
        defer { try? FileManager.default.removeItem(atPath: external) }
        assertError(try ONNXModel.read(external), contains: [external, "'big'", "external", "weights.bin", "save_as_external_data=False"])

        let outOfRange = try F.write(F.modelWithInitializer(F.tensor("q", .int8, dims: [1]) { $0.int32Data = [200] }))
        defer { try? FileManager.default.removeItem(atPath: outOfRange) }
        assertError(try ONNXModel.read(outOfRange), contains: [outOfRange, "200", "INT8"])

        let strings = try F.write(F.modelWithInitializer(F.tensor("s", .string, dims: [1]) { $0.stringData = [Data("a".utf8)] }))
        defer { try? FileManager.default.removeItem(atPath: strings) }
        assertError(try ONNXModel.read(strings), contains: [strings, "'s'", "STRING"])

        let huge = try F.write(F.modelWithInitializer(F.tensor("h", .float, dims: [1 << 40, 1 << 40]) { $0.rawData = Data(count: 4) }))
        defer { try? FileManager.default.removeItem(atPath: huge) }
        assertError(try ONNXModel.read(huge), contains: [huge, "'h'", "more than"])
    }

    func testNotAProtobufIsAFormatErrorNamingTheFile() throws {
        let path = NSTemporaryDirectory() + "convlens-garbage-\(UInt32.random(in: 0...UInt32.max)).onnx"
        try Data([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        assertError(try ONNXModel.read(path), contains: [path, "not an ONNX model"])
        assertError(try ONNXModel.read(path + ".missing"), contains: ["no such file", path])
    }

    // MARK: - Attributes, inputs and outputs

    func testAttributesDecodeToTheirKinds() throws {
        let attributes = [
            F.int("group", 32),
            F.attribute("alpha") { $0.type = .float; $0.f = 0.125 },
            F.attribute("auto_pad") { $0.type = .string; $0.s = Data("SAME_UPPER".utf8) },
            F.ints("pads", [1, 2, 1, 2]),
            F.attribute("scales") { $0.type = .floats; $0.floats = [1, 2.5] },
            F.attribute("names") { $0.type = .strings; $0.strings = [Data("a".utf8), Data("é".utf8)] },
            F.tensorAttribute("value", F.int64s("", dims: [2], [5, -6])),
            // IR version 1 files have no type: the set field says what it is.
            F.attribute("legacy") { $0.i = 9 },
        ]
        let model = try F.roundTrip(F.model(nodes: [F.node("Identity", ["x"], ["y"], name: "n", attributes: attributes)],
                                            inputs: [F.value("x", [2])], outputs: [F.value("y", [2])]))
        let node = try XCTUnwrap(model.nodes.first)
        XCTAssertEqual(node.attributes["group"], .int(32))
        XCTAssertEqual(node.attributes["alpha"], .float(0.125))
        XCTAssertEqual(node.attributes["auto_pad"], .string("SAME_UPPER"))
        XCTAssertEqual(node.attributes["pads"], .ints([1, 2, 1, 2]))
        XCTAssertEqual(node.attributes["scales"], .floats([1, 2.5]))
        XCTAssertEqual(node.attributes["names"], .strings(["a", "é"]))
        XCTAssertEqual(node.attributes["value"], .tensor(try ONNXTensor(dims: [2], integers: [5, -6])))
        XCTAssertEqual(node.attributes["legacy"], .int(9))
        XCTAssertEqual(try node.int("group"), 32)
        XCTAssertEqual(try node.ints("pads"), [1, 2, 1, 2])
        XCTAssertEqual(try node.float("group"), 32, "an INT reads as a FLOAT, as exporters write whole-number floats")
        assertError(try node.ints("alpha"), contains: ["node 'n' (Identity)", "'alpha'", "FLOAT", "expected INTS"])
        assertError(try model.namingFile { try node.ints("alpha") }, contains: [model.source + ": node 'n' (Identity)"])
    }

    func testGraphAttributeIsRefused() throws {
        var body = Onnx_GraphProto()
        body.name = "body"
        let path = try F.write(F.model(nodes: [F.node("Identity", ["x"], ["y"], name: "n", attributes: [F.attribute("then_branch") { $0.type = .graph; $0.g = body }])],
                                       inputs: [F.value("x", [1])], outputs: [F.value("y", [1])]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        assertError(try ONNXModel.read(path), contains: [path, "'then_branch'", "subgraph"])
    }

    func testInputsExcludeInitializersAndKeepSymbolicDimensions() throws {
        let proto = F.model(nodes: [F.node("Add", ["x", "b"], ["y"])], initializers: [F.floats("b", dims: [1], [1])],
                            inputs: [F.value("x", ["batch", 3, 224, 224]), F.value("b", [1])], outputs: [F.value("y", ["batch", 3, 224, 224])])
        let model = try F.roundTrip(proto)
        XCTAssertEqual(model.inputs.map(\.name), ["x"])
        XCTAssertEqual(model.inputs[0].shape, [.symbolic("batch"), .fixed(3), .fixed(224), .fixed(224)])
        XCTAssertEqual(model.inputs[0].elementType, .float)
        XCTAssertNil(model.inputs[0].staticShape)
        XCTAssertEqual(model.outputs.map(\.name), ["y"])
        XCTAssertEqual(model.nodes[0].name, "Add_0", "an unnamed node is named by its operator and position")
        XCTAssertEqual(model.opsetVersion, 17)
        XCTAssertEqual(model.producer, "ConvLens tests")
    }

    func testNodesOutOfTopologicalOrderAreRefused() throws {
        let proto = F.model(nodes: [F.node("Relu", ["h"], ["y"], name: "second"), F.node("Relu", ["x"], ["h"], name: "first")],
                            inputs: [F.value("x", [1])], outputs: [F.value("y", [1])])
        let path = try F.write(proto)
        defer { try? FileManager.default.removeItem(atPath: path) }
        assertError(try ONNXModel.read(path), contains: [path, "node 'second' (Relu)", "'h'", "topological"])
    }

    // MARK: - Opset and operators

    func testOpsetOutsideNineToTwentyOneIsRefused() throws {
        for opset: Int64 in [8, 22] {
            let path = try F.write(F.model(opset: opset, nodes: [F.node("Relu", ["x"], ["y"])], inputs: [F.value("x", [1])], outputs: [F.value("y", [1])]))
            defer { try? FileManager.default.removeItem(atPath: path) }
            assertError(try ONNXModel.read(path), contains: [path, "opset \(opset)", "opsets 9 to 21"])
        }
        for opset: Int64 in [9, 10, 11, 21] {
            let model = try F.roundTrip(F.model(opset: opset, nodes: [F.node("Relu", ["x"], ["y"])], inputs: [F.value("x", [1])], outputs: [F.value("y", [1])]))
            XCTAssertEqual(model.opsetVersion, Int(opset))
        }
        var noOpset = F.model(nodes: [F.node("Relu", ["x"], ["y"])], inputs: [F.value("x", [1])], outputs: [F.value("y", [1])])
        noOpset.opsetImport = []
        let path = try F.write(noOpset)
        defer { try? FileManager.default.removeItem(atPath: path) }
        assertError(try ONNXModel.read(path), contains: [path, "no opset"])
    }

    func testUnsupportedOperatorGivesOneErrorNamingOpNodeAndTheList() throws {
        let proto = F.model(nodes: [
            F.node("Relu", ["x"], ["a"], name: "relu"),
            F.node("NonMaxSuppression", ["a"], ["b"], name: "nms"),
            F.node("FusedConv", ["b"], ["c"], name: "fused", domain: "com.microsoft"),
            F.node("NonMaxSuppression", ["c"], ["y"], name: "nms2"),
        ], inputs: [F.value("x", [1])], outputs: [F.value("y", [1])])
        let path = try F.write(proto)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try ONNXModel.read(path)) { error in
            guard case EngineError.unsupported(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.hasPrefix("\(path): operator NonMaxSuppression of node 'nms' is not supported"), message)
            XCTAssertTrue(message.contains("2 more unsupported nodes: com.microsoft.FusedConv, NonMaxSuppression"), message)
            XCTAssertTrue(message.contains("Conv, ConvTranspose, Relu"), message)
            XCTAssertTrue(message.hasSuffix("QuantizeLinear, DequantizeLinear"), message)
        }
        XCTAssertEqual(ONNXOperators.supported.count, 49)
        XCTAssertTrue(ONNXOperators.isSupported("Conv", domain: "ai.onnx"))
        XCTAssertFalse(ONNXOperators.isSupported("Conv", domain: "com.microsoft"))
    }

    func testDamagedFilesFailWithErrorsNeverACrash() throws {
        // Flip bytes of a valid model (seeded, so a failure reproduces): each damaged file
        // must decode, fold or be refused with an EngineError; none may trap.
        let valid = F.model(nodes: [
            F.node("Conv", ["x", "w"], ["c"], name: "conv", attributes: [F.ints("pads", [1, 1, 1, 1])]),
            F.node("Shape", ["c"], ["s"], name: "shape"),
            F.node("Slice", ["s", "zero", "two"], ["nc"], name: "slice"),
            F.node("Concat", ["nc", "minus1"], ["target"], name: "concat", attributes: [F.int("axis", 0)]),
            F.node("Reshape", ["c", "target"], ["y"], name: "reshape"),
        ], initializers: [F.floats("w", dims: [2, 1, 3, 3], [Float](repeating: 1, count: 18)), F.int64s("zero", dims: [1], [0]),
                          F.int64s("two", dims: [1], [2]), F.int64s("minus1", dims: [1], [-1])],
           inputs: [F.value("x", [1, 1, 4, 4])], outputs: [F.value("y", [1, 2, 16])])
        let bytes = [UInt8](try valid.serializedBytes() as Data)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var refused = 0
        for _ in 0..<400 {
            var damaged = bytes
            for _ in 0..<(1 + next() % 3) { damaged[next() % damaged.count] = UInt8(truncatingIfNeeded: next()) }
            do {
                _ = try ONNXConstantFolding.fold(try ONNXModel.decode(damaged, source: "damaged.onnx"))
            } catch let error as EngineError {
                refused += 1
                XCTAssertTrue("\(error)".contains("damaged.onnx"), "\(error)")
            }
        }
        XCTAssertGreaterThan(refused, 100)
    }
}
