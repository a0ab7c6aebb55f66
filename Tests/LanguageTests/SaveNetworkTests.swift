import Foundation
import XCTest
import Engine
@testable import Language

/// save(net, "f.onnx" | "f.safetensors") and reading both back, through the language.
final class SaveNetworkTests: XCTestCase {
    /// A 2x2 RGB graph: 1x1 conv 3 -> 2 (+ ReLU), global average pool, flatten; classes "a", "b".
    private func session() throws -> Session {
        let conv = LayerNode(name: "conv", op: .convolution(ConvolutionAttributes()), inputs: ["input"],
                             parameters: ["weight": try Tensor(shape: [2, 3, 1, 1], data: [1, 2, 3, -1, 0, 1]),
                                          "bias": try Tensor(shape: [2], data: [0.5, 0])])
        let relu = LayerNode(name: "relu", op: .relu, inputs: ["conv"], layer: "conv_relu")
        let pool = LayerNode(name: "pool", op: .globalAveragePool, inputs: ["relu"])
        let flat = LayerNode(name: "flat", op: .flatten, inputs: ["pool"])
        let convention = try InputConvention(height: 2, width: 2, channelOrder: .rgb, scale: 255, mean: [10, 20, 30], std: [2],
                                             classNames: ["a", "b"])
        let network = try GraphNetwork(name: "tiny", graph: try LayerGraph(nodes: [conv, relu, pool, flat]), inputConvention: convention)
        let session = Session()
        session.assign("net", .engine(.model(ModelValue(network: network, source: "tiny"))))
        session.assign("toy", .engine(.model(ModelValue(network: ToyNetwork(), source: "toy"))))
        return session
    }

    func testOnnxAndSafetensorsComeBackWithTheSameLogits() throws {
        let session = try session()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("convlens-save-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let onnx = folder.appendingPathComponent("tiny.onnx").path
        let weights = folder.appendingPathComponent("tiny.safetensors").path
        XCTAssertNil(run("save(net, \"\(onnx)\")\nsave(net, \"\(weights)\")", in: session).error)
        let cell = run("back = model(\"\(onnx)\")", in: session)
        XCTAssertNil(cell.error)
        XCTAssertFalse(cell.output.stdout.contains("assumed"), cell.output.stdout)
        XCTAssertEqual(result("classes(back)", in: session), result("classes(net)", in: session))
        XCTAssertEqual(result("layers(back)", in: session), result("layers(net)", in: session))
        let bright = try Image(width: 2, height: 2, channels: 3, pixels: (0..<12).map { Float(200 + $0) / 255 })
        session.assign("bright", .engine(.picture(Picture(image: bright, title: "bright"))))
        // Pixel p, channel c holds 200 + 3p + c (of 255); tensor c = (that - 10 (c + 1)) / 2, so the channel
        // means are 97.25, 92.75, 88.25. The 1x1 conv and the average commute (no ReLU clips here):
        // 97.25 + 2 · 92.75 + 3 · 88.25 + 0.5 = 548; the second filter gives c2 - c0 = -9 -> ReLU 0.
        for name in ["net", "back", "model(\"\(weights)\", like: net)"] {
            XCTAssertEqual(result("logits(\(name), bright)[0]", in: session), "548", name)
            XCTAssertEqual(result("logits(\(name), bright)[1]", in: session), "0", name)
        }
    }

    func testWhatCannotBeSavedOrLoadedIsNamed() throws {
        let session = try session()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("convlens-save-\(getpid()).onnx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertTrue(failure("save([1, 2], \"\(path)\")", in: session)?.message.contains("not a network") == true)
        XCTAssertTrue(failure("save(toy, \"\(path)\")", in: session)?.message.contains("not a layer graph") == true)
        XCTAssertTrue(failure("model(\"\(path)\", like: net)", in: session)?.message.contains("carries its own graph") == true)
        XCTAssertTrue(failure("model(\"squeezenet\", like: net, size: 3)", in: session)?.message.contains(".onnx files only") == true)
        // Saved weights without like: say which files are recognised alone, and how to read these.
        let weights = path.replacingOccurrences(of: ".onnx", with: ".safetensors")
        defer { try? FileManager.default.removeItem(atPath: weights) }
        XCTAssertNil(run("save(net, \"\(weights)\")", in: session).error)
        let error = failure("model(\"\(weights)\")", in: session)
        XCTAssertTrue(error?.message.contains("read into their network with like: net") == true, error?.message ?? "no error")
        XCTAssertEqual(error?.hint, "model(\"\(weights)\", like: net) reads weights into the graph of net")
    }
}
