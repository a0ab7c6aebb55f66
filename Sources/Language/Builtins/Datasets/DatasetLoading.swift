import Engine
import Foundation

/// `dataset(...)` and `toy2d(...)`: the labelled sets `train`, `evaluate` and `predictions` read
/// (issue 8: ConvNetJS's demos and TensorFlow Playground).
enum DatasetLoading {
    static let dataset = Builtin(
        "dataset", family: DatasetBuiltins.family,
        parameters: [
            Parameter("name", .string, doc: "\"mnist\", \"fashion-mnist\", \"cifar10-sample\", \"imagenet-sample\", or a folder with one subfolder of images per class"),
            Parameter("split", .choice(["train", "test"]), default: .string("train"),
                      doc: "the training or the test part (mnist and fashion-mnist: 60,000 / 10,000; the samples have one set of 20)"),
            Parameter("count", .integer, default: Value.none, range: .atLeast(1), doc: "how many examples (none: all)"),
            Parameter("seed", .integer, default: Value.none, range: .atLeast(0),
                      doc: "pick the examples at random with this seed (none: the first count, or follow seed() with shuffle: true)"),
            Parameter("shuffle", .bool, default: .bool(false), doc: "pick the examples at random following seed()"),
            Parameter("size", .any, default: Value.none,
                      doc: "resize images to this side or [height, width] (none: folders use the first image's size)"),
        ],
        returns: "dataset",
        summary: "A labelled image set: MNIST, Fashion-MNIST, 20 CIFAR-10 or ImageNet samples, or your own folder.",
        paragraph: "The set train, evaluate and predictions read. A folder holds one subfolder per class (cat/, dog/) of PNG or "
            + "JPEG images, resized to size: or the first image's size. Members: count, label, classes, image.",
        example: "digits = dataset(\"mnist\", split: \"test\", count: 1000)\nclothes = dataset(\"fashion-mnist\", count: 500, seed: 1)\n"
            + "evaluate(model(\"lenet_mnist\"), digits)",
        lecture: "002 and 004 (ConvNetJS MNIST demo)"
    ) { call in
        let name = try call.string("name")
        let split: DatasetCatalog.Split = try call.string("split") == "train" ? .train : .test
        let size = try sizeArgument(call)
        var data: LabeledDataset
        if DatasetCatalog.names.contains(name) {
            data = try named(name, split: split, call: call)
            if let size { data = try DatasetFolder.resized(data, height: size.height, width: size.width) }
        } else if name.contains("/") || FileManager.default.fileExists(atPath: name) {
            do {
                data = try DatasetFolder.load(path: name, size: size)
            } catch EngineError.cancelled {
                throw EngineError.cancelled
            } catch let error as EngineError {
                throw call.error("name", .io, error.description)
            }
        } else {
            throw call.error("name", "there is no dataset '\(name)' (nor a folder of that name)",
                             hint: NameSuggestion.hint(for: name, among: DatasetCatalog.names)
                                ?? "the datasets are " + DatasetCatalog.names.joined(separator: ", ") + ", or give a folder path")
        }
        return .engine(.dataset(try select(data, call: call)))
    }

    /// The first `count` examples, or a random `count` (all, when count is none) with `seed:` or `shuffle:`.
    static func select(_ data: LabeledDataset, call: Invocation) throws -> LabeledDataset {
        var count = data.count
        if !call.value("count").isNone {
            count = try call.integer("count")
            guard count <= data.count else {
                throw call.error("count", "\(data.name) has \(data.count) examples; count must be at most that, got \(count)")
            }
        }
        let indices: [Int]
        if !call.value("seed").isNone {
            var random = SeededRandom(seed: UInt64(try call.integer("seed")))
            indices = SampleSet.choose(count, from: data.count, using: &random)
        } else if try call.bool("shuffle") {
            indices = call.session.withRandom { SampleSet.choose(count, from: data.count, using: &$0) }
        } else if count == data.count {
            return data
        } else {
            indices = Array(0..<count)
        }
        return try data.subset(indices)
    }

    /// A named set, cached per session (the training splits are 188 MB of floats each).
    static func named(_ name: String, split: DatasetCatalog.Split, call: Invocation) throws -> LabeledDataset {
        let key = "dataset:\(name):\(split.rawValue)"
        if let cached = call.session.caches[key] as? LabeledDataset { return cached }
        let data: LabeledDataset
        do {
            if name == "mnist" {
                data = try SampleSet.mnist(split == .train ? .train : .test, call: call).labeled(name: "mnist \(split.rawValue)")
            } else {
                data = try DatasetCatalog.load(name, split: split)
            }
        } catch EngineError.cancelled {
            throw EngineError.cancelled
        } catch let error as EngineError {
            throw call.error("name", .io, "cannot read \(name): \(error.description)", hint: "run `make setup` (or set CONVLENS_ASSETS)")
        }
        call.session.caches[key] = data
        return data
    }

    /// `size:` as (height, width): none, one side, or [height, width], each 1 to 1024.
    static func sizeArgument(_ call: Invocation) throws -> (height: Int, width: Int)? {
        let value = call.value("size")
        if value.isNone { return nil }
        let sides: [Int]
        if let side = value.integerValue {
            sides = [side, side]
        } else if let items = value.elements, items.count == 2, let h = items[0].integerValue, let w = items[1].integerValue {
            sides = [h, w]
        } else {
            throw call.error("size", .type, "size must be a whole number or [height, width], got \(value.typeName)")
        }
        guard sides.allSatisfy({ (1...1024).contains($0) }) else {
            throw call.error("size", "each side must be 1 to 1024 pixels, got \(sides)")
        }
        return (sides[0], sides[1])
    }

    static let toy2d = Builtin(
        "toy2d", family: DatasetBuiltins.family,
        parameters: [
            Parameter("kind", .choice(Toy2D.Kind.allCases.map(\.rawValue)), default: .string("spiral"),
                      doc: "TensorFlow Playground's spiral, circles, xor or clusters (Gaussian blobs), or scikit-learn's two moons"),
            Parameter("count", .integer, default: .number(500), range: .closed(2, 1_000_000), doc: "how many points"),
            Parameter("noise", .number, default: .number(0), range: .closed(0, 0.5),
                      doc: "the Playground's noise slider over 100 (moons: the deviation of the normal noise)"),
            Parameter("seed", .integer, default: Value.none, range: .atLeast(0), doc: "the random seed (none: follow seed())"),
            Parameter("classes", .integer, default: .number(2), range: .closed(2, 10), doc: "clusters only: how many blobs"),
        ],
        returns: "dataset",
        summary: "A 2-D toy classification set from TensorFlow Playground: points in about [-1, 1]^2 with class labels.",
        paragraph: "The Playground's coordinates ([-6, 6]) divided by 6, shuffled; the same seed gives the same points. "
            + "Train an mlp([2, 8, 8, 2]) on it to watch the decision regions form.",
        example: "points = toy2d(kind: \"spiral\", count: 400, noise: 0.1, seed: 1)",
        lecture: "004 (ConvNetJS 2-D classification, TensorFlow Playground)"
    ) { call in
        let kind = Toy2D.Kind(rawValue: try call.string("kind")) ?? .spiral
        if call.isGiven("classes"), kind != .clusters {
            throw call.error("classes", "only clusters has a choice of classes; \(kind.rawValue) has 2")
        }
        let seed = call.value("seed").isNone ? call.session.withRandom { $0.next() } : UInt64(try call.integer("seed"))
        let data = try Toy2D.make(kind, count: try call.integer("count"), noise: Float(try call.number("noise")),
                                  seed: seed, classes: try call.integer("classes"))
        return .engine(.dataset(data))
    }
}

extension DatasetLoading {
    static let toy1d = Builtin(
        "toy1d", family: DatasetBuiltins.family,
        parameters: [
            Parameter("kind", .choice(Toy1D.Kind.allCases.map(\.rawValue)), default: .string("xsinx"),
                      doc: "sine: sin(pi x); xsinx: ConvNetJS's x sin(x), scaled; cubic: 2x^3 - x; step: -0.5 / 0.5"),
            Parameter("count", .integer, default: .number(100), range: .closed(2, 1_000_000), doc: "how many points"),
            Parameter("noise", .number, default: .number(0), range: .closed(0, 1), doc: "deviation of the normal noise added to y"),
            Parameter("seed", .integer, default: Value.none, range: .atLeast(0), doc: "the random seed (none: follow seed())"),
        ],
        returns: "dataset",
        summary: "A 1-D regression set (x, y) with x in [-1, 1], for ConvNetJS's 1-D regression demo.",
        paragraph: "Examples are single numbers x and targets the values y = f(x) + noise; train an "
            + "mlp([1, 20, 20, 1], regression: true) on it to watch the fitted curve follow the points.",
        example: "points = toy1d(kind: \"xsinx\", count: 60, noise: 0.05, seed: 1)\n"
            + "train(mlp([1, 20, 20, 1], activation: \"relu\", regression: true), points, epochs: 200, batch: 10)",
        lecture: "004 (ConvNetJS 1-D regression)"
    ) { call in
        let kind = Toy1D.Kind(rawValue: try call.string("kind")) ?? .xsinx
        let seed = call.value("seed").isNone ? call.session.withRandom { $0.next() } : UInt64(try call.integer("seed"))
        return .engine(.dataset(try Toy1D.make(kind, count: try call.integer("count"), noise: Float(try call.number("noise")), seed: seed)))
    }
}

extension Invocation {
    /// The dataset given as argument `name`.
    func dataset(_ name: String) throws -> LabeledDataset {
        guard case .engine(.dataset(let data)) = value(name) else {
            throw error(name, .type, "expected a dataset (from dataset() or toy2d()), got \(value(name).typeName)")
        }
        return data
    }
}
