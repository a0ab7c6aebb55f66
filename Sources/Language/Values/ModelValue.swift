import Engine

/// A loaded network as a value: shown as a table of its layers.
public final class ModelValue {
    /// The network every reading builtin uses; `train` replaces it with the trained one.
    public private(set) var network: Network
    /// The name or path it was loaded from.
    public let source: String
    /// The unfolded graph `train` updates, for networks made by `convnet` and `mlp`; nil for
    /// loaded networks.
    public let trainable: TrainableNetwork?

    public init(network: Network, source: String, trainable: TrainableNetwork? = nil) {
        self.network = network
        self.source = source
        self.trainable = trainable
    }

    /// Rebuilds `network` from the trainable graph's current weights (after training), so
    /// every builtin sees them. Throws what `TrainableNetwork.network()` throws.
    public func refreshFromTrainable() throws {
        guard let trainable else { return }
        network = try trainable.network()
    }

    /// One row per layer: name, kind, output shape, receptive field, jump, start, parameters.
    public var layerTable: Table {
        let rows: [[Value]] = network.layers.map { layer in
            [.string(layer.name), .string(layer.kind),
             .string(layer.outputShape.map(String.init).joined(separator: "x")),
             .number(Double(layer.receptiveField)), .number(Double(layer.jump)), .number(layer.start),
             .number(Double(layer.parameterCount))]
        }
        let total = network.layers.reduce(0) { $0 + $1.parameterCount }
        let (height, width) = network.inputSize
        return Table(title: "\(network.name): input \(network.inputChannels)x\(height)x\(width), "
                     + "\(network.layers.count) layers, \(total) parameters",
                     columns: ["layer", "kind", "output", "receptive_field", "jump", "start", "parameters"], rows: rows)
    }

    public var summary: String {
        let (height, width) = network.inputSize
        return "model \(network.name) (input \(network.inputChannels)x\(height)x\(width), \(network.layers.count) layers, "
            + "\(network.classNames.count) classes)"
    }

    static let memberDocs: [String: String] = [
        "name": "the network's name",
        "layers": "a table of the layers",
        "layer_names": "the layer names as a list",
        "classes": "the class names as a list",
        "input_size": "[height, width] of the input",
    ]

    func member(_ name: String) -> Value? {
        switch name {
        case "name": return .string(network.name)
        case "layers": return .table(layerTable)
        case "layer_names": return .list(network.layers.map { .string($0.name) })
        case "classes": return .list(network.classNames.map { .string($0) })
        case "input_size": return .list([.number(Double(network.inputSize.height)), .number(Double(network.inputSize.width))])
        default: return nil
        }
    }
}
