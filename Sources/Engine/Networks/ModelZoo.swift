import Foundation

/// Loads the pretrained networks by name (or from a weight file), once: a network is built on
/// first use and shared afterwards, so a notebook that never touches EfficientNet never pays
/// for it, and two cells using SqueezeNet share its weights.
public enum ModelZoo {
    /// The pretrained networks by name, each with the other spellings `load` accepts for it.
    /// This table is the one place names are defined: `model()`, its completion and its errors
    /// all read it through `availableNames`, `acceptedNames` and `canonicalName`.
    static let catalogue: [(name: String, aliases: [String])] = [
        ("squeezenet", ["squeezenet1_1", "squeezenet11"]),
        ("efficientnet_lite0", ["efficientnet", "efficientnet_lite"]),
        ("mobilenet_v2", ["mobilenetv2", "mobilenet"]),
        ("lenet_mnist", ["lenet", "lenet5", "lenet_mnist_clean"]),
        ("lenet_mnist_adv", ["lenet_adv", "lenet5_adv"]),
        ("vgg16", ["vgg", "vgg_16"]),
    ]

    /// The networks' proper names, as help and completion show them.
    public static let availableNames = catalogue.map(\.name)

    /// Every name `load` accepts: the proper names, then the aliases.
    public static let acceptedNames = availableNames + catalogue.flatMap(\.aliases)

    /// File name extensions of weight files (and of ONNX files, so that those get a file error
    /// rather than "unknown network").
    public static let weightFileExtensions: Set<String> = ["pth", "pt", "pkl", "pickle", "safetensors", "bin", "ckpt", "tar", "onnx"]

    /// The proper name `name` stands for (letter case and "-" versus "_" do not matter), or nil.
    public static func canonicalName(_ name: String) -> String? {
        let spelled = name.lowercased().replacingOccurrences(of: "-", with: "_")
        return catalogue.first { $0.name == spelled || $0.aliases.contains(spelled) }?.name
    }

    /// Whether `nameOrPath` means a file rather than a network name: it has a slash, ends with
    /// a weight file extension, or is not a network name but names something on disk.
    public static func isPath(_ nameOrPath: String) -> Bool {
        if nameOrPath.contains("/") { return true }
        if weightFileExtensions.contains((nameOrPath as NSString).pathExtension.lowercased()) { return true }
        return canonicalName(nameOrPath) == nil && FileManager.default.fileExists(atPath: nameOrPath)
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: [String: Network] = [:]

    /// A network by name ("squeezenet", "efficientnet_lite0", "mobilenet_v2", "lenet_mnist", "lenet_mnist_adv",
    /// or an alias from `catalogue`) or from a weight file path, whose architecture is
    /// recognised by its keys. A path that does not exist gives `EngineError.io` naming it; a
    /// name that is neither gives `EngineError.invalid` listing the names.
    public static func load(_ nameOrPath: String) throws -> Network {
        let key = isPath(nameOrPath) ? nameOrPath : (canonicalName(nameOrPath) ?? nameOrPath)
        lock.lock()
        defer { lock.unlock() }
        if let network = loaded[key] { return network }
        let network = try build(key)
        loaded[key] = network
        return network
    }

    /// Forgets loaded networks (their memory is freed once no one else holds them).
    public static func unloadAll() {
        lock.lock()
        loaded = [:]
        importedONNX = [:]
        lock.unlock()
    }

    private static func build(_ key: String) throws -> Network {
        switch key {
        case "squeezenet":
            return try SqueezeNet.load(weights: try WeightFile.load(path: try AssetDirectory.file("weights/squeezenet1_1.pkl")),
                                       classNames: try ImageNetClasses.names())
        case "efficientnet_lite0":
            return try EfficientNetLite.load(weights: try WeightFile.load(path: try AssetDirectory.file("weights/efficientnet_lite0.pth")),
                                             classNames: try ImageNetClasses.names())
        case "mobilenet_v2":
            return try MobileNetV2.load(weights: try WeightFile.load(path: try AssetDirectory.file("weights/mobilenet_v2.pth")),
                                        classNames: try ImageNetClasses.names())
        case "lenet_mnist":
            return try LeNet5.load(name: "lenet_mnist", weights: try WeightFile.load(path: try AssetDirectory.file("weights/mnist_lenet5_clntrained.pt")))
        case "lenet_mnist_adv":
            return try LeNet5.load(name: "lenet_mnist_adv", weights: try WeightFile.load(path: try AssetDirectory.file("weights/mnist_lenet5_advtrained.pt")))
        case "vgg16":
            return try VGG16.load(path: try AssetDirectory.file("weights/vgg16_tumor.onnx"))
        default:
            guard isPath(key) else {
                throw EngineError.invalid("unknown network '\(key)'; available: \(availableNames.joined(separator: ", ")), or the path of a weight file")
            }
            return try fromFile(key)
        }
    }

    /// Imports the ONNX file at `path` with `options` (what they leave out comes from the file's
    /// metadata, else ImageNet's convention), once per `key`: `ONNXImporter.imported`'s errors.
    public static func loadONNX(_ path: String, options: ONNXImporter.Options, key: String) throws -> ONNXImporter.Imported {
        lock.lock()
        defer { lock.unlock() }
        if let imported = importedONNX[key] { return imported }
        let imported = try ONNXImporter.imported(path: path, options: options)
        importedONNX[key] = imported
        return imported
    }

    nonisolated(unsafe) private static var importedONNX: [String: ONNXImporter.Imported] = [:]

    /// Recognises the architecture of a weight file by its array names.
    private static func fromFile(_ path: String) throws -> Network {
        if path.lowercased().hasSuffix(".onnx") {
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return try ONNXImporter.load(path: path, options: ONNXImporter.Options(name: stem))
        }
        let weights = try WeightFile.load(path: path)
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if weights["fire2/squeeze1x1.0"] != nil {
            return try SqueezeNet.load(weights: weights, classNames: try ImageNetClasses.names())
        }
        if weights["_conv_stem.weight"] != nil {
            return try EfficientNetLite.load(weights: weights, classNames: try ImageNetClasses.names())
        }
        if weights["features.1.conv.0.0.weight"] != nil, weights["classifier.1.weight"] != nil {
            return try MobileNetV2.load(weights: weights, classNames: try ImageNetClasses.names())
        }
        if weights["conv1.weight"] != nil, weights["linear2.weight"] != nil {
            return try LeNet5.load(name: stem, weights: weights)
        }
        let sample = weights.names.prefix(6).joined(separator: ", ")
        throw EngineError.unsupported("\(path): the weights' names (first: \(sample)) are not those of a file ConvLens "
            + "recognises on its own (the published SqueezeNet 1.1, EfficientNet-Lite0, torchvision MobileNetV2 and advertorch "
            + "LeNet5 files); weights saved by save(net, \"f.safetensors\") are read into their network with like: net")
    }
}
