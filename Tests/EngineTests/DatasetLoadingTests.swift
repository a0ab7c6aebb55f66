import XCTest
import Foundation
@testable import Engine

/// Folder datasets (a temp folder of PNGs) and the fetched sets: Fashion-MNIST, foolbox's samples,
/// and the built-in LeNet's accuracy on MNIST counted two ways.
final class DatasetLoadingTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("convlens-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ image: Image, _ path: String) throws {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ImageFile.writePNG(image, to: url.path)
    }

    private func requireAsset(_ path: String) throws -> String {
        guard let found = try? AssetDirectory.file(path) else { throw XCTSkip("\(path) is not fetched (run make setup)") }
        return found
    }

    func testAFolderOfClassFoldersBecomesALabelledSetResizedToTheFirstImage() throws {
        // Class folders are sorted by name: "cat" is 0, "dog" 1; files in a class by name.
        try write(try Image(width: 2, height: 2, channels: 3, pixels: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]), "dog/b.png")
        try write(try Image(width: 4, height: 4, channels: 1, value: 0.6), "cat/z.png")
        try write(try Image(width: 2, height: 2, channels: 1, value: 0.2), "cat/a.png")
        try Data("not an image".utf8).write(to: folder.appendingPathComponent("cat/notes.txt"))
        let data = try DatasetFolder.load(path: folder.path, size: nil)
        XCTAssertEqual(data.classNames, ["cat", "dog"])
        XCTAssertEqual(data.labels, [0, 0, 1])
        XCTAssertEqual(data.sampleShape, [3, 2, 2], "colour because one image has colour; the first image's 2x2")
        // cat/a.png: gray 0.2 repeated over R, G, B; cat/z.png: a flat 0.6 stays 0.6 when shrunk.
        XCTAssertEqual(Array(data.inputs[0..<12]).map { ($0 * 255).rounded() }, [Float](repeating: 51, count: 12))
        XCTAssertEqual(Array(data.inputs[12..<24]).map { ($0 * 255).rounded() }, [Float](repeating: 153, count: 12))
        // dog/b.png planar: R plane [1, 0, 0, 1], G [0, 1, 0, 1], B [0, 0, 1, 1].
        XCTAssertEqual(Array(data.inputs[24..<36]), [1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1])
        let resized = try DatasetFolder.load(path: folder.path, size: (height: 1, width: 1))
        XCTAssertEqual(resized.sampleShape, [3, 1, 1])
        XCTAssertEqual(resized.inputs[3], 0.6, accuracy: 0.01)
    }

    func testABadImageIsNamedAndAnEmptyFolderExplained() throws {
        try write(try Image(width: 2, height: 2, channels: 1, value: 0.2), "cat/a.png")
        try Data("\u{89}PNG broken".utf8).write(to: folder.appendingPathComponent("cat/broken.png"))
        XCTAssertThrowsError(try DatasetFolder.load(path: folder.path, size: nil)) { error in
            XCTAssertTrue("\(error)".contains("cat/broken.png"), "\(error)")
        }
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try DatasetFolder.load(path: empty.path, size: nil)) { error in
            XCTAssertTrue("\(error)".contains("no subfolders"), "\(error)")
        }
        XCTAssertThrowsError(try DatasetFolder.load(path: folder.appendingPathComponent("missing").path, size: nil))
    }

    func testFashionMNISTHasItsCountsShapesAndLabels() throws {
        let labelPath = try requireAsset("fashion-mnist/t10k-labels-idx1-ubyte")
        let labelBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: labelPath)))
        let test = try DatasetCatalog.load("fashion-mnist", split: .test)
        XCTAssertEqual(test.count, 10_000)
        XCTAssertEqual(test.sampleShape, [1, 28, 28])
        XCTAssertEqual(test.labels.map { Array($0.prefix(10)) }, labelBytes[8..<18].map(Int.init))
        // The first test image is an ankle boot (label 9), as foolbox's fashionMNIST_00_9.png also says.
        XCTAssertEqual(test.classNames[test.labels![0]], "Ankle boot")
        XCTAssertEqual(test.classNames[1], "Trouser")
        let train = try DatasetCatalog.load("fashion-mnist", split: .train)
        XCTAssertEqual(train.count, 60_000)
        // Fashion-MNIST is balanced: 6,000 training images per class.
        XCTAssertEqual(Set((0..<10).map { c in train.labels!.filter { $0 == c }.count }), [6000])
    }

    func testFoolboxSamplesAreLabelledFromTheirFileNames() throws {
        _ = try requireAsset("cifar10-sample/cifar10_00_3.png")
        let cifar = try DatasetCatalog.load("cifar10-sample", split: .test)
        XCTAssertEqual(cifar.count, 20)
        XCTAssertEqual(cifar.sampleShape, [3, 32, 32])
        XCTAssertEqual(cifar.labels, [3, 8, 8, 0, 6, 6, 1, 6, 3, 1, 0, 9, 5, 7, 9, 8, 5, 7, 8, 6])
        XCTAssertEqual(cifar.classNames[cifar.labels![0]], "cat")
        let imagenet = try DatasetCatalog.load("imagenet-sample", split: .test)
        XCTAssertEqual(imagenet.count, 20)
        XCTAssertEqual(imagenet.sampleShape[0], 3)
        XCTAssertEqual(imagenet.labels, [243, 559, 438, 990, 949, 853, 609, 609, 915, 455, 541, 630, 741, 471, 129, 99, 251, 22, 317, 305])
        XCTAssertEqual(imagenet.classNames.count, 1000)
        XCTAssertEqual(imagenet.classNames[243], "bull mastiff")
        XCTAssertEqual(DatasetCatalog.sampleLabel(fileName: "imagenet_07_609.jpg", prefix: "imagenet")?.label, 609)
        XCTAssertNil(DatasetCatalog.sampleLabel(fileName: "mnist_00_7.png", prefix: "imagenet"))
    }

    func testLeNetAccuracyOnAThousandDigitsAgreesWithACountFromItsLogits() throws {
        _ = try requireAsset("weights/mnist_lenet5_clntrained.pt")
        let network = try ModelZoo.load("lenet_mnist")
        let digits = try MNISTDataset.load(.test)
        let data = try digits.labeled(name: "mnist test").subset(Array(0..<1000))
        XCTAssertTrue(DatasetBatches.feedsRaw(network, data))
        let result = try Evaluation.run(network, on: data, batchSize: 128)
        // Independently: one forward pass over the 1000 digits, arg max by hand.
        let logits = try network.forward(try digits.batch(0..<1000), capture: [], until: nil).output.data
        var correct = 0
        for i in 0..<1000 {
            let row = Array(logits[(i * 10)..<(i * 10 + 10)])
            if let best = row.indices.max(by: { row[$0] < row[$1] }), best == digits.labels[i] { correct += 1 }
        }
        XCTAssertEqual(result.correct, correct)
        XCTAssertEqual(result.confusion.reduce(0, +), 1000)
        XCTAssertGreaterThan(result.accuracy, 0.95)
    }
}
