import Foundation
import XCTest
@testable import Engine

/// The two ONNX networks of the asset manifest read, validate and fold. Skipped with a message
/// when the assets are not fetched; `make test` fetches them first.
final class ONNXAssetTests: XCTestCase {
    private func asset(_ name: String) throws -> String {
        guard let path = try? AssetDirectory.file(name) else {
            throw XCTSkip("asset \(name) is not fetched; run `make setup` (or .venv/bin/python scripts/fetch_assets.py)")
        }
        return path
    }

    private func report(_ model: ONNXModel, _ folded: ONNXFoldedModel) {
        let inputs = model.inputs.map(\.summary).joined(separator: "; ")
        let remaining = Array(Set(folded.model.nodes.map(\.opType))).sorted()
        print("ONNX \(URL(fileURLWithPath: model.source).lastPathComponent): opset \(model.opsetVersion), producer \(model.producer), "
              + "inputs \(inputs); \(model.nodes.count) nodes using \(model.opTypes.joined(separator: ", ")); "
              + "after folding \(folded.model.nodes.count) nodes using \(remaining.joined(separator: ", ")); \(model.parameterCount) weights")
    }

    func testVGG16ReadsAndItsShapeArithmeticFolds() throws {
        let model = try ONNXModel.read(try asset("weights/vgg16_tumor.onnx"))
        XCTAssertEqual(model.opsetVersion, 13)
        XCTAssertEqual(model.opTypes, ["Add", "Cast", "Concat", "Conv", "Gather", "MatMul", "MaxPool", "Mul", "Relu",
                                       "Reshape", "Shape", "Slice", "Softmax", "Transpose"])
        XCTAssertTrue(model.opTypes.allSatisfy { ONNXOperators.isSupported($0) })
        // tf2onnx kept Keras's NHWC input and transposes it to NCHW in the graph.
        XCTAssertEqual(model.inputs.count, 1)
        XCTAssertEqual(model.inputs[0].shape?.dropFirst(), [.fixed(240), .fixed(240), .fixed(3)])
        let convolutions = model.nodes.filter { $0.opType == "Conv" }
        XCTAssertEqual(convolutions.count, 13)
        // conv1_1's weights: 64 filters of 3x3 over 3 channels, as in VGG-16.
        XCTAssertEqual(convolutions.first.flatMap { model.initializers[$0.inputs[1]]?.dims }, [64, 3, 3, 3])
        // Floating-point weights only: the three int64 and one int32 initializers are shape constants.
        XCTAssertEqual(model.parameterCount, 16_363_140)

        let folded = try ONNXConstantFolding.fold(model, inputShapes: [model.inputs[0].name: [1, 240, 240, 3]])
        report(model, folded)
        XCTAssertTrue(folded.model.nodes.allSatisfy { ONNXOperators.computed.contains($0.opType) }, "\(folded.model.opTypes)")
        XCTAssertFalse(folded.model.opTypes.contains("Shape"))
        // Five 2x2 poolings: 240 -> 7; 512 channels at pool5.
        let lastPool = try XCTUnwrap(folded.model.nodes.last { $0.opType == "MaxPool" })
        XCTAssertEqual(folded.shapes[lastPool.outputs[0]], [1, 512, 7, 7])
        XCTAssertEqual(folded.shapes[model.outputs[0].name], [1, 4])
        // tf2onnx's flatten target, as onnxruntime computes it for this input: [1, 7 * 7 * 512].
        XCTAssertEqual(folded.model.initializers["functional_1/flatten_1/Reshape__89:0"]?.integers, [1, 25088])
    }

    func testMultistyle26ReadsAndItsPaddingArithmeticFolds() throws {
        let model = try ONNXModel.read(try asset("weights/multistyle26.onnx"))
        XCTAssertEqual(model.opsetVersion, 17)
        XCTAssertEqual(model.opTypes, ["Add", "Cast", "Concat", "Constant", "ConstantOfShape", "Conv", "Div", "Mul", "Pad", "Pow",
                                       "ReduceMean", "ReduceSum", "Relu", "Reshape", "Resize", "Sigmoid", "Slice", "Sqrt", "Sub",
                                       "Transpose", "Unsqueeze"])
        XCTAssertTrue(model.opTypes.allSatisfy { ONNXOperators.isSupported($0) })
        XCTAssertEqual(model.inputs.map(\.name), ["image", "style_weights"])
        XCTAssertEqual(model.inputs[0].shape, [.fixed(1), .fixed(3), .symbolic("h"), .symbolic("w")])
        XCTAssertEqual(model.inputs[1].shape, [.fixed(26)])
        XCTAssertEqual(model.parameterCount, 166_104)

        let folded = try ONNXConstantFolding.fold(model, inputShapes: ["image": [1, 3, 64, 96]])
        report(model, folded)
        XCTAssertTrue(folded.model.nodes.allSatisfy { ONNXOperators.computed.contains($0.opType) }, "\(folded.model.opTypes)")
        for constantOnly in ["Constant", "ConstantOfShape", "Slice", "Cast", "Transpose"] {
            XCTAssertFalse(folded.model.opTypes.contains(constantOnly), "\(constantOnly) should have folded")
        }
        // Every Pad's pads are constants now, and the stylized image has the input's size.
        for pad in folded.model.nodes where pad.opType == "Pad" {
            XCTAssertNotNil(pad.input(1).flatMap { folded.model.initializers[$0] }, pad.name)
        }
        XCTAssertEqual(folded.shapes[model.outputs[0].name], [1, 3, 64, 96])
        // The reflect pads of the 9x9 first layer and a 3x3 layer, and the decoder's upsampling
        // scales, as onnxruntime computes them from the same file.
        XCTAssertEqual(folded.model.initializers["/contract.0/Cast_output_0"]?.integers, [0, 0, 4, 4, 0, 0, 4, 4])
        XCTAssertEqual(folded.model.initializers["/contract.1/Cast_output_0"]?.integers, [0, 0, 1, 1, 0, 0, 1, 1])
        XCTAssertEqual(folded.model.initializers["/expand.0/Constant_output_0"]?.floats, [1, 1, 2, 2])
    }
}
