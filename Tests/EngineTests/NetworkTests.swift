import Foundation
import XCTest
@testable import Engine

/// The pretrained networks against their published behaviour. Tests that need the fetched
/// assets skip with a message when they are missing (`make setup` fetches them; CI runs it first).
final class NetworkTests: XCTestCase {
    private func requireAssets() throws {
        guard AssetDirectory.search() != nil else {
            throw XCTSkip("assets not fetched: run `.venv/bin/python scripts/fetch_assets.py` (make setup)")
        }
    }

    private func top5(_ network: Network, image name: String) throws -> [Int] {
        let image = try ImageFile.load(path: try AssetDirectory.file("images/\(name)"))
        let (logits, _) = try network.forward(try network.preprocess(image), capture: [], until: nil)
        XCTAssertEqual(logits.shape, [1, 1000])
        return Array(logits.data.indices.sorted { logits.data[$0] > logits.data[$1] }.prefix(5))
    }

    /// 281 tabby, 282 tiger cat, 285 Egyptian cat; 967 espresso.
    private let catClasses: Set<Int> = [281, 282, 285]

    func testSqueezeNetClassifiesChelseaAndCoffee() throws {
        try requireAssets()
        let network = try ModelZoo.load("squeezenet")
        let chelsea = try top5(network, image: "chelsea.png")
        XCTAssertTrue(catClasses.contains(chelsea[0]), "chelsea top-1 is \(network.classNames[chelsea[0]])")
        let coffee = try top5(network, image: "coffee.png")
        XCTAssertEqual(coffee[0], 967, "coffee top-1 is \(network.classNames[coffee[0]])")
        XCTAssertEqual(network.classNames[967], "espresso")
    }

    func testEfficientNetClassifiesChelseaAndCoffee() throws {
        try requireAssets()
        let network = try ModelZoo.load("efficientnet_lite0")
        let chelsea = try top5(network, image: "chelsea.png")
        XCTAssertTrue(catClasses.contains(chelsea[0]), "chelsea top-1 is \(network.classNames[chelsea[0]])")
        let coffee = try top5(network, image: "coffee.png")
        XCTAssertEqual(coffee[0], 967, "coffee top-1 is \(network.classNames[coffee[0]])")
    }

    /// Accuracy on all 10,000 MNIST test digits; PyTorch 2.13 on the same files gets 9889
    /// (98.89%) for the plainly trained network and 9864 (98.64%) for the adversarially trained one.
    private func checkLeNetAccuracy(_ name: String, expectedCorrect: Int) throws {
        try requireAssets()
        let test = try MNISTDataset.load(.test)
        XCTAssertEqual(test.count, 10_000)
        let network = try ModelZoo.load(name)
        var correct = 0
        for start in stride(from: 0, to: test.count, by: 500) {
            let (logits, _) = try network.forward(try test.batch(start..<(start + 500)), capture: [], until: nil)
            for item in 0..<500 {
                let row = logits.data[(item * 10)..<(item * 10 + 10)]
                if row.indices.max(by: { row[$0] < row[$1] }).map({ $0 - item * 10 }) == test.labels[start + item] { correct += 1 }
            }
        }
        XCTAssertGreaterThanOrEqual(Double(correct) / Double(test.count), 0.985, "\(name): \(correct) of 10000")
        XCTAssertEqual(correct, expectedCorrect, accuracy: 2, name)
    }

    func testLeNetAccuracyOnTheMNISTTestSet() throws {
        try checkLeNetAccuracy("lenet_mnist", expectedCorrect: 9889)
    }

    func testAdversariallyTrainedLeNetAccuracyOnTheMNISTTestSet() throws {
        try checkLeNetAccuracy("lenet_mnist_adv", expectedCorrect: 9864)
    }

    /// Hand-computed: conv1 k3 s2 p0 on 227 -> 113 (rf 3, jump 2, centre 1); pool1 3/2 ceil -> 56
    /// (rf 3 + 2*2 = 7, jump 4, centre 1 + 1*2 = 3); each fire adds its 3x3 (rf + 2*4); pool3 ->
    /// 28 (rf 23 + 2*4 = 31, jump 8, centre 3 + 4 = 7); pool5 -> 14 (rf 63 + 16 = 79, jump 16,
    /// centre 15); fire9 rf 79 + 4 * 32 = 207.
    func testSqueezeNetReceptiveFields() throws {
        try requireAssets()
        let layers = Dictionary(uniqueKeysWithValues: try ModelZoo.load("squeezenet").layers.map { ($0.name, $0) })
        func check(_ name: String, _ field: Int, _ jump: Int, _ start: Double, _ shape: [Int], line: UInt = #line) {
            guard let layer = layers[name] else { return XCTFail("no layer \(name)", line: line) }
            XCTAssertEqual(layer.receptiveField, field, "\(name) rf", line: line)
            XCTAssertEqual(layer.jump, jump, "\(name) jump", line: line)
            XCTAssertEqual(layer.start, start, "\(name) start", line: line)
            XCTAssertEqual(layer.outputShape, shape, "\(name) shape", line: line)
        }
        check("conv1", 3, 2, 1, [64, 113, 113])
        check("pool1", 7, 4, 3, [64, 56, 56])
        check("fire2", 15, 4, 3, [128, 56, 56])
        check("fire3", 23, 4, 3, [128, 56, 56])
        check("pool3", 31, 8, 7, [128, 28, 28])
        check("fire5", 63, 8, 7, [256, 28, 28])
        check("pool5", 79, 16, 15, [256, 14, 14])
        check("fire9", 207, 16, 15, [512, 14, 14])
        check("conv10", 207, 16, 15, [1000, 14, 14])
        // Unit (0, 0) of conv1 sees input pixels 0...2; of pool5 (centre 15, rf 79) 15 - 39 ... 15 + 39, clipped.
        XCTAssertTrue(layers["conv1"].map { $0.receptiveBox(x: 0, y: 0, inputWidth: 227, inputHeight: 227) == (0, 0, 3, 3) } ?? false)
        XCTAssertTrue(layers["pool5"].map { $0.receptiveBox(x: 1, y: 0, inputWidth: 227, inputHeight: 227) == (0, 0, 71, 55) } ?? false)
        let names = try ModelZoo.load("squeezenet").layers.map(\.name)
        XCTAssertEqual(names, ["conv1", "pool1", "fire2", "fire3", "pool3", "fire4", "fire5", "pool5",
                               "fire6", "fire7", "fire8", "fire9", "conv10", "logits"])
    }

    /// SAME padding puts the odd pixel at the bottom/right, so the left padding of a stride-2
    /// 3x3 on an even size is 0 and of a stride-2 5x5 on 56 is 1: stem rf 3, jump 2, centre 1;
    /// blocks.0 (3x3/1) rf 7; blocks.1 (3x3/2, left pad 0) rf 11, jump 4, centre 1 + 1*2 = 3;
    /// blocks.2 rf 19; blocks.3 (5x5/2, left pad 1) rf 19 + 4*4 = 35, jump 8, centre 3 + 1*4 = 7.
    func testEfficientNetReceptiveFields() throws {
        try requireAssets()
        let network = try ModelZoo.load("efficientnet_lite0")
        let layers = Dictionary(uniqueKeysWithValues: network.layers.map { ($0.name, $0) })
        let expected: [(String, Int, Int, Double, [Int])] = [
            ("stem", 3, 2, 1, [32, 112, 112]), ("blocks.0", 7, 2, 1, [16, 112, 112]), ("blocks.1", 11, 4, 3, [24, 56, 56]),
            ("blocks.2", 19, 4, 3, [24, 56, 56]), ("blocks.3", 35, 8, 7, [40, 28, 28]), ("blocks.15", 0, 32, 0, [320, 7, 7]),
            ("head", 0, 32, 0, [1280, 7, 7]), ("pool", 0, 32, 0, [1280]), ("logits", 0, 32, 0, [1000]),
        ]
        for (name, field, jump, start, shape) in expected {
            guard let layer = layers[name] else { XCTFail("no layer \(name)"); continue }
            if field > 0 {
                XCTAssertEqual(layer.receptiveField, field, name)
                XCTAssertEqual(layer.start, start, name)
            }
            XCTAssertEqual(layer.jump, jump, name)
            XCTAssertEqual(layer.outputShape, shape, name)
        }
        XCTAssertEqual(network.layers.map(\.name), ["stem"] + (0..<16).map { "blocks.\($0)" } + ["head", "pool", "logits"])
        // The classifier: 1280 x 1000 weights and 1000 biases.
        XCTAssertEqual(network.layers.last?.parameterCount, 1280 * 1000 + 1000)
    }

    /// conv1 3x3 pad 1: rf 3, jump 1, centre 0; pool1 2/2: rf 4, jump 2, centre 0.5;
    /// conv2: rf 8, centre 0.5; pool2: rf 10, jump 4, centre 1.5.
    func testLeNetReceptiveFieldsAndFileRoundTrip() throws {
        try requireAssets()
        let network = try ModelZoo.load("lenet_mnist")
        let fields = network.layers.map { [$0.receptiveField, $0.jump] }
        XCTAssertEqual(Array(fields.prefix(4)), [[3, 1], [4, 2], [8, 2], [10, 4]])
        XCTAssertEqual(network.layers.map(\.start).prefix(4), [0, 0.5, 0.5, 1.5])
        XCTAssertEqual(network.layers.map(\.outputShape), [[32, 28, 28], [32, 14, 14], [64, 14, 14], [64, 7, 7], [200], [10]])

        // Saved to safetensors and loaded back by path, the network gives the same logits.
        let weights = try WeightFile.load(path: try AssetDirectory.file("weights/mnist_lenet5_clntrained.pt"))
        let path = NSTemporaryDirectory() + "lenet-\(UInt32.random(in: 0...UInt32.max)).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Safetensors.write(try weights.names.map { ($0, try weights.require($0)) }, to: path)
        let reloaded = try ModelZoo.load(path)
        let digits = try MNISTDataset.load(.test).batch(0..<4)
        XCTAssertEqual(try reloaded.forward(digits, capture: [], until: nil).output.data,
                       try network.forward(digits, capture: [], until: nil).output.data)
        XCTAssertThrowsError(try ModelZoo.load("alexnet")) { error in
            XCTAssertTrue("\(error)".contains("squeezenet"), "\(error)")
        }
    }

    func testForwardStopsAtALayerAndCaptures() throws {
        try requireAssets()
        let network = try ModelZoo.load("squeezenet")
        let x = try Tensor(zeros: [1, 3, 227, 227])
        let (output, activations) = try network.forward(x, capture: ["conv1", "fire2"], until: "fire2")
        XCTAssertEqual(output.shape, [1, 128, 56, 56])
        XCTAssertEqual(activations["conv1"]?.shape, [1, 64, 113, 113])
        XCTAssertThrowsError(try network.forward(x, capture: ["fire9"], until: "fire2"))
        XCTAssertThrowsError(try network.forward(x, capture: [], until: "fc7")) { error in
            XCTAssertTrue("\(error)".contains("fire2"), "error should list the layers: \(error)")
        }
    }

    /// x[c, h, w] = sin(0.05 h (c + 1)) cos(0.07 w) * 60 + 10 c, the same in PyTorch 2.13.
    private func synthetic(size: Int, scale: Float) throws -> Tensor {
        var data = [Float](repeating: 0, count: 3 * size * size)
        for c in 0..<3 {
            for h in 0..<size {
                for w in 0..<size {
                    let value = Float(sin(0.05 * Double(h * (c + 1))) * cos(0.07 * Double(w)) * 60 + 10 * Double(c))
                    data[(c * size + h) * size + w] = value * scale
                }
            }
        }
        return try Tensor(shape: [1, 3, size, size], data: data)
    }

    /// Logits on a synthetic input against an independent PyTorch 2.13 implementation of the same
    /// architectures with the same weights (F.conv2d, F.max_pool2d(ceil_mode=True), TF-SAME via
    /// F.pad, F.batch_norm with eps 1e-3, unfolded): this checks every padding, pooling and
    /// folding detail, not just the argmax.
    func testLogitsMatchPyTorchReference() throws {
        try requireAssets()
        let cases: [(String, Int, Float, [(Int, Float)], Float)] = [
            ("squeezenet", 227, 1, [(723, 14.0957165), (772, 13.3698816), (530, 13.3079824)], 4322.02441),
            ("efficientnet_lite0", 224, 1.0 / 64, [(772, 7.26831675), (800, 6.49939585), (911, 5.76111174)], -82.6992798),
        ]
        for (name, size, scale, expectedTop, expectedSum) in cases {
            let (logits, _) = try ModelZoo.load(name).forward(try synthetic(size: size, scale: scale), capture: [], until: nil)
            let order = logits.data.indices.sorted { logits.data[$0] > logits.data[$1] }
            for (rank, (index, value)) in expectedTop.enumerated() {
                XCTAssertEqual(order[rank], index, "\(name) rank \(rank)")
                XCTAssertEqual(logits.data[index], value, accuracy: 2e-3, "\(name) logit \(index)")
            }
            XCTAssertEqual(logits.data.reduce(0, +), expectedSum, accuracy: 0.05, name)
        }
    }

    func testPreprocessRoundTripsThroughDeprocess() throws {
        try requireAssets()
        for name in ["squeezenet", "efficientnet_lite0"] {
            let network = try ModelZoo.load(name)
            let (height, width) = network.inputSize
            var pixels = [Float](repeating: 0, count: height * width * 3)
            for index in pixels.indices { pixels[index] = Float(index % 255) / 255 }
            let image = try Image(width: width, height: height, channels: 3, pixels: pixels)
            let back = try network.deprocess(try network.preprocess(image))
            let worst = zip(back.pixels, pixels).map { abs($0 - $1) }.max() ?? 1
            XCTAssertLessThan(worst, 1e-5, name)
        }
    }
}
