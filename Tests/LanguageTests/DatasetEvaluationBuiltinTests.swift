import XCTest
import Engine
import Foundation
@testable import Language

/// dataset(), toy2d(), evaluate() and predictions() through the language.
final class DatasetEvaluationBuiltinTests: XCTestCase {
    private func requireMNIST() throws {
        guard (try? AssetDirectory.file("mnist/t10k-labels-idx1-ubyte")) != nil else { throw XCTSkip("MNIST is not fetched (run make setup)") }
    }

    private func picture(_ name: String, in session: Session) -> Picture? {
        if case .engine(.picture(let picture))? = session.variables[name] { return picture }
        return nil
    }

    /// CONVLENS_TEST_PICTURES=dir writes the pictures, to look at them.
    private func keep(_ picture: Picture?, _ name: String) {
        guard let directory = ProcessInfo.processInfo.environment["CONVLENS_TEST_PICTURES"], let picture,
              let data = try? picture.pngData() else { return }
        try? data.write(to: URL(fileURLWithPath: directory).appendingPathComponent(name + ".png"))
    }

    func testDatasetCountSeedAndMembers() throws {
        try requireMNIST()
        let session = Session()
        XCTAssertNil(run("""
            d = dataset("mnist", split: "test", count: 10)
            a = dataset("mnist", split: "train", count: 30, seed: 4)
            b = dataset("mnist", split: "train", count: 30, seed: 4)
            """, in: session).error)
        XCTAssertEqual(result("d.label", in: session), "[7, 2, 1, 0, 4, 1, 4, 9, 5, 9]")
        XCTAssertEqual(result("d.count", in: session), "10")
        XCTAssertEqual(result("a.label == b.label", in: session), "true")
        XCTAssertEqual(result("a.count", in: session), "30")
        let shown = run("d", in: session)
        XCTAssertEqual(shown.resultText, "dataset mnist test: 10 examples of 1x28x28, 10 classes")
        guard case .success(let bundle?, _) = shown.outcome else { return XCTFail("no display") }
        XCTAssertNotNil(bundle.data["image/png"], "an image set shows a gallery")
    }

    func testUnknownNamesSuggestAndListTheDatasets() {
        let error = failure("dataset(\"fashion_mnist\")")
        XCTAssertEqual(error?.hint, "did you mean 'fashion-mnist'?")
        let other = failure("dataset(\"zzzz\")")
        XCTAssertTrue(other?.hint?.contains("cifar10-sample") ?? false, "\(String(describing: other))")
        XCTAssertNotNil(failure("toy2d(kind: \"spiral\", classes: 3)"))
    }

    func testToy2DIsSeededAndShownAsAScatter() {
        let session = Session()
        XCTAssertNil(run("p = toy2d(kind: \"circles\", count: 300, noise: 0.1, seed: 9)\nq = toy2d(kind: \"circles\", count: 300, noise: 0.1, seed: 9)", in: session).error)
        guard case .engine(.dataset(let p))? = session.variables["p"], case .engine(.dataset(let q))? = session.variables["q"] else {
            return XCTFail("no datasets")
        }
        XCTAssertEqual(p.inputs, q.inputs)
        XCTAssertEqual(p.count, 300)
        let shown = run("p", in: session)
        guard case .success(let bundle?, _) = shown.outcome else { return XCTFail("no display") }
        XCTAssertNotNil(bundle.data["image/png"])
    }

    func testEvaluateAndPredictionsOnLeNet() throws {
        try requireMNIST()
        let session = Session()
        let cell = run("""
            net = model("lenet_mnist")
            d = dataset("mnist", split: "test", count: 500)
            m = evaluate(net, d)
            p = predictions(net, d, count: 12)
            """, in: session)
        XCTAssertNil(cell.error)
        guard let matrix = picture("m", in: session), let grid = picture("p", in: session) else { return XCTFail("no pictures") }
        keep(matrix, "confusion")
        keep(grid, "predictions")
        XCTAssertEqual(matrix.array.shape, [10, 10])
        XCTAssertEqual(matrix.array.values.reduce(0, +), 500)
        // Row sums are the true labels' counts in the first 500 test digits.
        let labels = try MNISTDataset.load(.test).labels.prefix(500)
        for digit in 0..<10 {
            XCTAssertEqual(matrix.array.values[(digit * 10)..<(digit * 10 + 10)].reduce(0, +), Float(labels.filter { $0 == digit }.count))
        }
        let diagonal = (0..<10).map { matrix.array.values[$0 * 11] }.reduce(0, +)
        XCTAssertTrue(matrix.title.contains("(\(Int(diagonal))/500)"), matrix.title)
        XCTAssertEqual(grid.array.shape, [12, 10])
        for row in 0..<12 { XCTAssertEqual(grid.array.values[(row * 10)..<(row * 10 + 10)].reduce(0, +), 1, accuracy: 1e-4) }
        let mismatch = failure("evaluate(net, toy2d(count: 20))", in: session)
        XCTAssertTrue(mismatch?.message.contains("10 classes") ?? false, "\(String(describing: mismatch))")
    }

    func testImageNetSampleRunsThroughSqueezeNetPreprocessing() throws {
        guard (try? AssetDirectory.file("imagenet-sample/imagenet_00_243.jpg")) != nil,
              (try? AssetDirectory.file("weights/squeezenet1_1.pkl")) != nil else { throw XCTSkip("assets not fetched") }
        let session = Session()
        XCTAssertNil(run("m = evaluate(model(\"squeezenet\"), dataset(\"imagenet-sample\"))", in: session).error)
        guard let matrix = picture("m", in: session) else { return XCTFail("no picture") }
        keep(matrix, "imagenet")
        XCTAssertEqual(matrix.array.values.reduce(0, +), 20)
        // foolbox chose images its ImageNet models get right; SqueezeNet 1.1 gets most of them.
        let diagonal = (0..<matrix.array.shape[0]).map { matrix.array.values[$0 * (matrix.array.shape[0] + 1)] }.reduce(0, +)
        XCTAssertGreaterThanOrEqual(diagonal, 12, matrix.title)
    }
}
