import Foundation
import XCTest
@testable import Engine

/// The asset manifest is the single list of everything fetched; these checks keep it complete.
final class AssetTests: XCTestCase {
    private var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testManifestListsEveryAssetWithSourceHashAndLicence() throws {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("assets/manifest.json"))
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let packages = try XCTUnwrap(manifest["packages"] as? [[String: Any]])
        var names = Set<String>()
        for package in packages {
            let label = package["package"] as? String ?? "?"
            XCTAssertTrue(["pypi", "debian"].contains(package["registry"] as? String ?? ""), label)
            XCTAssertFalse((package["version"] as? String ?? "").isEmpty, label)
            XCTAssertFalse((package["licence"] as? String ?? "").isEmpty, label)
            for file in try XCTUnwrap(package["files"] as? [[String: Any]]) {
                let name = try XCTUnwrap(file["name"] as? String)
                XCTAssertTrue(names.insert(name).inserted, "duplicate local name \(name)")
                let hash = try XCTUnwrap(file["sha256"] as? String)
                XCTAssertEqual(hash.count, 64, name)
                XCTAssertTrue(hash.allSatisfy(\.isHexDigit), name)
                XCTAssertFalse((file["path"] as? String ?? "").isEmpty, name)
            }
        }
        // What the engine loads by name must be in the manifest.
        for needed in ["weights/squeezenet1_1.pkl", "weights/efficientnet_lite0.pth", "weights/mnist_lenet5_clntrained.pt",
                       "weights/mnist_lenet5_advtrained.pt", "labels/imagenet1k_label_to_names.json",
                       "mnist/t10k-images-idx3-ubyte", "mnist/t10k-labels-idx1-ubyte", "images/chelsea.png", "images/coffee.png",
                       "weights/vgg16_tumor.onnx", "weights/mobilenet_v2.pth", "weights/multistyle26.onnx"] {
            XCTAssertTrue(names.contains(needed), "manifest lacks \(needed)")
        }
    }

    func testEnvironmentVariableChoosesTheAssetDirectory() throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("assets-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("{}".utf8).write(to: directory.appendingPathComponent("index.json"))
        let previous = ProcessInfo.processInfo.environment[AssetDirectory.environmentVariable]
        setenv(AssetDirectory.environmentVariable, directory.path, 1)
        defer {
            if let previous { setenv(AssetDirectory.environmentVariable, previous, 1) } else { unsetenv(AssetDirectory.environmentVariable) }
        }
        XCTAssertEqual(try AssetDirectory.locate().standardizedFileURL.path, directory.standardizedFileURL.path)
        XCTAssertThrowsError(try AssetDirectory.file("weights/none.pkl")) { error in
            XCTAssertTrue("\(error)".contains("make setup"), "\(error)")
        }
    }

    func testMNISTParserRejectsTruncatedFiles() throws {
        var images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28] + [UInt8](repeating: 255, count: 784 * 2)
        let labels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 2, 7, 3]
        let set = try MNISTDataset(imageFile: images, labelFile: labels, source: "tiny")
        XCTAssertEqual(set.labels, [7, 3])
        XCTAssertEqual(try set.image(1).pixels.reduce(0, +), 784)
        images.removeLast(10)
        XCTAssertThrowsError(try MNISTDataset(imageFile: images, labelFile: labels, source: "tiny")) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
    }
}
