import Foundation

/// Loads the pretrained networks by name (or from a weight file), once: a network is built on
/// first use and shared afterwards, so a notebook that never touches EfficientNet never pays
/// for it, and two cells using SqueezeNet share its weights.
public enum ModelZoo {
    /// The names `load` accepts, with the asset each needs.
    public static let availableNames = ["squeezenet", "efficientnet_lite0", "lenet_mnist", "lenet_mnist_adv"]

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: [String: Network] = [:]

    /// A network by name ("squeezenet", "efficientnet_lite0", "lenet_mnist", "lenet_mnist_adv",
    /// a few aliases) or from a weight file path, whose architecture is recognised by its keys.
    public static func load(_ nameOrPath: String) throws -> Network {
        let key = canonicalName(nameOrPath) ?? nameOrPath
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
        lock.unlock()
    }

    static func canonicalName(_ name: String) -> String? {
        switch name.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "squeezenet", "squeezenet1_1", "squeezenet11": return "squeezenet"
        case "efficientnet_lite0", "efficientnet", "efficientnet_lite": return "efficientnet_lite0"
        case "lenet_mnist", "lenet", "lenet5", "lenet_mnist_clean": return "lenet_mnist"
        case "lenet_mnist_adv", "lenet_adv", "lenet5_adv": return "lenet_mnist_adv"
        default: return nil
        }
    }

    private static func build(_ key: String) throws -> Network {
        switch key {
        case "squeezenet":
            return try SqueezeNet(weights: try WeightFile.load(path: try AssetDirectory.file("weights/squeezenet1_1.pkl")),
                                  classNames: try ImageNetClasses.names())
        case "efficientnet_lite0":
            return try EfficientNetLite(weights: try WeightFile.load(path: try AssetDirectory.file("weights/efficientnet_lite0.pth")),
                                        classNames: try ImageNetClasses.names())
        case "lenet_mnist":
            return try LeNet5(name: "lenet_mnist", weights: try WeightFile.load(path: try AssetDirectory.file("weights/mnist_lenet5_clntrained.pt")))
        case "lenet_mnist_adv":
            return try LeNet5(name: "lenet_mnist_adv", weights: try WeightFile.load(path: try AssetDirectory.file("weights/mnist_lenet5_advtrained.pt")))
        default:
            guard key.contains("/") || key.contains("."), FileManager.default.fileExists(atPath: key) else {
                throw EngineError.invalid("unknown network '\(key)'; available: \(availableNames.joined(separator: ", ")), or the path of a weight file")
            }
            return try fromFile(key)
        }
    }

    /// Recognises the architecture of a weight file by its array names.
    private static func fromFile(_ path: String) throws -> Network {
        let weights = try WeightFile.load(path: path)
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if weights["fire2/squeeze1x1.0"] != nil {
            return try SqueezeNet(weights: weights, classNames: try ImageNetClasses.names())
        }
        if weights["_conv_stem.weight"] != nil {
            return try EfficientNetLite(weights: weights, classNames: try ImageNetClasses.names())
        }
        if weights["conv1.weight"] != nil, weights["linear2.weight"] != nil {
            return try LeNet5(name: stem, weights: weights)
        }
        let sample = weights.names.prefix(6).joined(separator: ", ")
        throw EngineError.unsupported("\(path): weights of an unknown architecture (first arrays: \(sample)); "
            + "ConvLens runs SqueezeNet 1.1, EfficientNet-Lite0 and the advertorch LeNet5")
    }
}
