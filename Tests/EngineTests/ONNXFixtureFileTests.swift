import Foundation
import XCTest
@testable import Engine

/// Files written by `scripts/make_onnx_fixtures.py` (onnx.helper, checked by onnx.checker and run
/// by onnxruntime) read and fold, and the folded output shapes equal onnxruntime's. Runs when
/// CONVLENS_ONNX_FIXTURES names the directory the script wrote; skipped otherwise.
final class ONNXFixtureFileTests: XCTestCase {
    func testEveryFixtureReadsFoldsAndMatchesOnnxruntimeShapes() throws {
        guard let directory = ProcessInfo.processInfo.environment["CONVLENS_ONNX_FIXTURES"] else {
            throw XCTSkip("set CONVLENS_ONNX_FIXTURES to the directory scripts/make_onnx_fixtures.py wrote")
        }
        let indexData = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("index.json"))
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: indexData) as? [String: [String: Any]])
        XCTAssertGreaterThanOrEqual(index.count, 55)
        var covered = Set<String>()
        for (name, entry) in index.sorted(by: { $0.key < $1.key }) {
            let path = directory + "/" + (try XCTUnwrap(entry["file"] as? String))
            let opset = try XCTUnwrap(entry["opset"] as? Int)
            guard ONNXModel.supportedOpsets.contains(opset) else {
                // The Upsample file: its operator only exists below opset 10.
                XCTAssertThrowsError(try ONNXModel.read(path), name) { error in
                    XCTAssertTrue("\(error)".contains("opset \(opset)"), "\(error)")
                }
                continue
            }
            let model = try ONNXModel.read(path)
            covered.formUnion(model.opTypes)
            let folded = try ONNXConstantFolding.fold(model)
            XCTAssertTrue(folded.model.nodes.allSatisfy { ONNXOperators.computed.contains($0.opType) }, "\(name): \(folded.model.opTypes)")
            let expected = try XCTUnwrap(entry["output_shapes"] as? [[Int]], name)
            XCTAssertEqual(model.outputs.map { folded.shapes[$0.name] ?? [] }, expected, name)
        }
        XCTAssertEqual(covered.union(["Upsample"]), Set(ONNXOperators.supported))
    }
}
