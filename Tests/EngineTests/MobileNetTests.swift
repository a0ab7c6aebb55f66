import XCTest
@testable import Engine

/// torchvision's MobileNetV2 with its ImageNet weights: classification of the sample photos,
/// layer names, shapes, receptive fields and parameter count. Its logits are compared with an
/// independent numpy implementation in Tests/protocol/test_mobilenet.py.
final class MobileNetTests: XCTestCase {
    private func network() throws -> Network {
        guard AssetDirectory.search() != nil else {
            throw XCTSkip("assets not fetched: run `.venv/bin/python scripts/fetch_assets.py` (make setup)")
        }
        return try ModelZoo.load("mobilenet_v2")
    }

    private func ranked(_ network: Network, image name: String) throws -> [Int] {
        let image = try ImageFile.load(path: try AssetDirectory.file("images/\(name)"))
        let (logits, _) = try network.forward(try network.preprocess(image), capture: [], until: nil)
        XCTAssertEqual(logits.shape, [1, 1000])
        return logits.data.indices.sorted { logits.data[$0] > logits.data[$1] }
    }

    /// ImageNet 281 ... 287 are the cats (tabby, tiger cat, Persian, Siamese, Egyptian cat,
    /// cougar, lynx); 967 espresso.
    func testClassifiesChelseaAsACatAndCoffeeAsEspresso() throws {
        let network = try network()
        let chelsea = try ranked(network, image: "chelsea.png")
        XCTAssertTrue((281...287).contains(chelsea[0]), "chelsea top-1 is \(network.classNames[chelsea[0]])")
        let coffee = try ranked(network, image: "coffee.png")
        XCTAssertEqual(coffee[0], 967, "coffee top-1 is \(network.classNames[coffee[0]])")
    }

    func testNamesAndAliasesShareOneNetwork() throws {
        let network = try network()
        XCTAssertEqual(network.name, "mobilenet_v2")
        for alias in ["mobilenetv2", "mobilenet", "MobileNet-V2"] {
            XCTAssertTrue(try ModelZoo.load(alias) === network, alias)
        }
        XCTAssertTrue(ModelZoo.availableNames.contains("mobilenet_v2"))
    }

    /// Strides (t, c, n, s) = (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2)
    /// (6,320,1,1) after a stride-2 stem take 224 to 112, 56, 28, 14, 7. Every 3x3 is padded 1,
    /// so the first output's centre stays at input pixel 0 and each 3x3 adds 2 x jump to the
    /// field: conv1 3 (jump 2); block1 3 + 4 = 7; block2 (stride 2) 7 + 4 = 11, jump 4;
    /// block3 11 + 8 = 19; block4 (stride 2) 19 + 8 = 27, jump 8; block5 27 + 16 = 43.
    func testLayersShapesAndReceptiveFields() throws {
        let network = try network()
        XCTAssertEqual(network.layers.map(\.name), ["conv1"] + (1...17).map { "block\($0)" } + ["conv_last", "pool", "logits"])
        let layers = Dictionary(uniqueKeysWithValues: network.layers.map { ($0.name, $0) })
        let expected: [(String, [Int], Int?, Int)] = [
            ("conv1", [32, 112, 112], 3, 2), ("block1", [16, 112, 112], 7, 2), ("block2", [24, 56, 56], 11, 4),
            ("block3", [24, 56, 56], 19, 4), ("block4", [32, 28, 28], 27, 8), ("block5", [32, 28, 28], 43, 8),
            ("block7", [64, 14, 14], nil, 16), ("block11", [96, 14, 14], nil, 16), ("block14", [160, 7, 7], nil, 32),
            ("block17", [320, 7, 7], nil, 32), ("conv_last", [1280, 7, 7], nil, 32), ("pool", [1280], nil, 32),
            ("logits", [1000], nil, 32),
        ]
        for (name, shape, field, jump) in expected {
            guard let layer = layers[name] else { XCTFail("no layer \(name)"); continue }
            XCTAssertEqual(layer.outputShape, shape, name)
            XCTAssertEqual(layer.jump, jump, name)
            if let field {
                XCTAssertEqual(layer.receptiveField, field, name)
                XCTAssertEqual(layer.start, 0, name)
            }
        }
        XCTAssertEqual(layers["block1"]?.kind, "inverted residual 3x3/1 expand 1 -> 16")
        XCTAssertEqual(layers["block3"]?.kind, "inverted residual 3x3/1 expand 6 -> 24 + skip")
    }

    /// torchvision counts 3,504,872 learnable values (conv and linear weights, linear bias,
    /// batch-norm gamma and beta). The loaded graph has each batch norm folded into its
    /// convolution, whose gamma and beta (2 per channel) become one bias per channel: 17,056
    /// batch-norm channels fewer. The classifier keeps 1280 x 1000 + 1000.
    func testParameterCountIsTorchvisionsWithBatchNormsFolded() throws {
        let network = try network()
        let batchNormChannels = 32 + (32 + 16) + [(16, 24), (24, 24), (24, 32), (32, 32), (32, 32), (32, 64), (64, 64),
                                                 (64, 64), (64, 64), (64, 96), (96, 96), (96, 96), (96, 160),
                                                 (160, 160), (160, 160), (160, 320)]
            .reduce(0) { $0 + 6 * $1.0 * 2 + $1.1 } + 1280
        XCTAssertEqual(batchNormChannels, 17_056)
        XCTAssertEqual(network.layers.reduce(0) { $0 + $1.parameterCount }, 3_504_872 - batchNormChannels)
        XCTAssertEqual(network.layers.last?.parameterCount, 1280 * 1000 + 1000)
    }

    /// The file is recognised by its keys when loaded by path.
    func testLoadsFromItsFileByPath() throws {
        _ = try network()
        let byPath = try ModelZoo.load(try AssetDirectory.file("weights/mobilenet_v2.pth"))
        XCTAssertEqual(byPath.name, "mobilenet_v2")
        XCTAssertEqual(byPath.layers.count, 21)
    }

    /// A weight with the wrong shape is refused naming the file's array.
    func testRefusesAWeightOfTheWrongShape() throws {
        _ = try network()
        var weights = try WeightFile.load(path: try AssetDirectory.file("weights/mobilenet_v2.pth"))
        weights.set("features.5.conv.1.0.weight", try WeightArray(shape: [192, 1, 5, 5], values: [Float](repeating: 0, count: 192 * 25)))
        XCTAssertThrowsError(try MobileNetV2.graph(weights: weights, classes: 1000)) { error in
            XCTAssertTrue("\(error)".contains("features.5.conv.1.0.weight"), "\(error)")
        }
    }
}
