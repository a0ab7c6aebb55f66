import Foundation

/// Turns an ONNX model into a `GraphNetwork`: read (`ONNXModel`), cut at the wanted output,
/// checked against the operators mapped to layers (`ONNXNodeMapping.mapped`) before anything
/// is built, folded for the input size (`ONNXConstantFolding`), then one layer-graph node per
/// remaining ONNX node, named after it.
///
/// The input is one image tensor, [N, C, H, W], or [N, H, W, C] when every reader of the input
/// is a Transpose with perm [0, 3, 1, 2] (TensorFlow exports): those transposes are absorbed
/// and the network reads NCHW like every other. A BatchNormalization, Relu or Clip(0, 6)
/// reading a convolution (or linear layer) that nothing else reads joins that node's layer,
/// so `layers(net)` lists "conv + relu" once and the graph folds them into one convolution.
public enum ONNXImporter {
    /// How to read the file. ONNX files state no input convention; the caller supplies it.
    public struct Options: Sendable {
        /// The network's name in messages and listings.
        public var name: String
        /// Input height and width in pixels; nil: the file's fixed square size, else 224.
        /// A size other than the file's declared one makes its spatial dimensions free.
        public var size: Int?
        /// nil: the file's (`ONNXExportMetadata`), else RGB for 3-channel inputs, gray for 1-channel ones.
        public var channelOrder: InputConvention.ChannelOrder?
        /// nil: the file's, else 1.
        public var scale: Float?
        /// nil: the file's, else ImageNet's [0.485, 0.456, 0.406] times the scale.
        public var mean: [Float]?
        /// nil: the file's, else ImageNet's [0.229, 0.224, 0.225] times the scale.
        public var std: [Float]?
        public var resizeShorterSide: Int?
        /// nil: the file's, else ImageNet's names when the output has 1000 values per image, none otherwise.
        public var classNames: [String]?
        /// The ONNX value the network ends at; nil: the first graph output. Nodes not needed
        /// for it are dropped before anything is checked (so a head with unmapped operators can go).
        public var output: String?
        /// Layer names by ONNX node name, replacing the sanitized node names.
        public var layerNames: [String: String]
        /// Values for graph inputs other than the image, by input name: each becomes a
        /// constant before folding, so whatever is computed from it alone (a style network's
        /// gamma and beta from its style weights) folds into layer parameters at load time.
        public var constantInputs: [String: ONNXTensor]
        /// Input height and width when the picture is not square; each overrides `size`.
        public var height: Int?
        public var width: Int?

        public init(name: String, size: Int? = nil, channelOrder: InputConvention.ChannelOrder? = nil, scale: Float? = nil,
                    mean: [Float]? = nil, std: [Float]? = nil, resizeShorterSide: Int? = nil,
                    classNames: [String]? = nil, output: String? = nil, layerNames: [String: String] = [:],
                    constantInputs: [String: ONNXTensor] = [:], height: Int? = nil, width: Int? = nil) {
            self.name = name
            self.size = size
            self.channelOrder = channelOrder
            self.scale = scale
            self.mean = mean
            self.std = std
            self.resizeShorterSide = resizeShorterSide
            self.classNames = classNames
            self.output = output
            self.layerNames = layerNames
            self.constantInputs = constantInputs
            self.height = height
            self.width = width
        }
    }

    /// The ONNX operators that become layers; the folded ones (`ONNXOperators.folded`) are
    /// also accepted as shape arithmetic and weight preparation.
    public static var mappedOperators: [String] { ONNXNodeMapping.mapped }

    /// Reads the file at `path` and imports it. Errors (`EngineError`) name the file, and the
    /// node where one is at fault: an unmapped operator (with the supported list), an input
    /// that is not one image tensor, shapes that do not fit.
    public static func load(path: String, options: Options) throws -> GraphNetwork {
        try network(from: try ONNXModel.read(path), options: options)
    }

    /// A network imported, and what of its input convention was assumed.
    public struct Imported {
        public let network: GraphNetwork
        /// The parts of the input convention neither given in `Options` nor stated in the file
        /// (`ONNXExportMetadata`), so taken from ImageNet's, as "mean 0.485, 0.456, 0.406".
        public let assumed: [String]
    }

    /// Reads the file at `path` and imports it, saying which parts of the convention were assumed.
    public static func imported(path: String, options: Options) throws -> Imported {
        try imported(from: try ONNXModel.read(path), options: options)
    }

    /// Imports a model already read.
    public static func network(from model: ONNXModel, options: Options) throws -> GraphNetwork {
        try imported(from: model, options: options).network
    }

    /// Imports a model already read, saying which parts of the convention were assumed: what
    /// `options` leaves nil is taken from the file's metadata (a file ConvLens saved states its
    /// whole convention), then from ImageNet's.
    public static func imported(from model: ONNXModel, options given: Options) throws -> Imported {
        try model.namingFile {
            let stated = try ONNXExportMetadata.convention(in: model.metadata, source: model.source)
            let saved = try ONNXExportMetadata.layers(in: model.metadata, source: model.source)
            var options = given
            var assumed: [String] = []
            options.channelOrder = options.channelOrder ?? stated?.channelOrder
            let orderAssumed = options.channelOrder == nil
            if options.size == nil, let stated, stated.height == stated.width { options.size = stated.height }
            let scale = options.scale ?? stated?.scale
            if scale == nil { assumed.append("scale 1") }
            options.scale = scale ?? 1
            for (label, imageNet) in [("mean", [0.485, 0.456, 0.406]), ("std", [0.229, 0.224, 0.225])] {
                guard (label == "mean" ? options.mean : options.std) == nil else { continue }
                var values = label == "mean" ? stated?.mean : stated?.std
                if values == nil {
                    // In Double for the notice, so it reads 0.485, not Float's 0.48500001.
                    let scaled = imageNet.map { ($0 * Double(options.scale ?? 1) * 1e6).rounded() / 1e6 }
                    assumed.append("\(label) \(scaled.map(NumberRange.format).joined(separator: ", "))")
                    values = scaled.map(Float.init)
                }
                if label == "mean" { options.mean = values } else { options.std = values }
            }
            options.resizeShorterSide = options.resizeShorterSide ?? stated?.resizeShorterSide
            options.classNames = options.classNames ?? stated?.classNames
            let network = try network(from: model, resolved: options, savedLayers: saved)
            if orderAssumed { assumed.insert("order \(network.inputConvention.channelOrder.rawValue)", at: 0) }
            return Imported(network: network, assumed: assumed)
        }
    }

    /// Imports with every convention option resolved (nil scale, mean, std mean ImageNet's).
    private static func network(from model: ONNXModel, resolved options: Options,
                                savedLayers: (layers: [String: String], kinds: [String: String])?) throws -> GraphNetwork {
        try model.namingFile {
            let cut = try truncated(try binding(model, options.constantInputs), at: options.output)
            let layout: InputLayout
            do {
                layout = try InputLayout(model: cut, options: options)
            } catch {
                // An operator without a layer is the first thing to fix, so it is what is reported;
                // unless there are other inputs, whose unfolded branch would look unmapped.
                if cut.inputs.count == 1 { try requireMapped(cut) }
                throw error
            }
            let folded = try foldedAndMapped(layout.model, inputShapes: [layout.inputName: layout.foldShape])
            let graph = try ONNXGraphAssembly(folded: folded, inputName: layout.inputName, absorbed: layout.absorbed,
                                              layerNames: options.layerNames, savedLayers: savedLayers).graph()
            let outputShape = Array(try graph.shapes(input: layout.tensorShape)[graph.output]?.dropFirst() ?? [])
            let classNames = try options.classNames ?? (outputShape == [1000] ? ImageNetClasses.names() : [])
            let convention = try InputConvention(height: layout.height, width: layout.width, channelOrder: layout.channelOrder,
                                                 scale: options.scale ?? 1, mean: options.mean ?? [0.485, 0.456, 0.406],
                                                 std: options.std ?? [0.229, 0.224, 0.225],
                                                 resizeShorterSide: options.resizeShorterSide, classNames: classNames)
            return try GraphNetwork(name: options.name, graph: graph, inputConvention: convention)
        }
    }

    /// The layer graph of `model` for its one input of shape `inputShape` (any rank and channel
    /// count, batch included), without an input convention: for running ONNX files on raw
    /// tensors (`LayerGraph.evaluate`), as the `convlens onnx-run` check does. Throws what
    /// `network(from:options:)` throws.
    public static func graph(from model: ONNXModel, inputShape: [Int], output: String? = nil,
                             constantInputs: [String: ONNXTensor] = [:]) throws -> LayerGraph {
        try model.namingFile {
            let cut = try truncated(try binding(model, constantInputs), at: output)
            guard cut.inputs.count == 1, let input = cut.inputs.first else {
                if cut.inputs.count == 0 { try requireMapped(cut) }
                throw EngineError.unsupported("\(model.source): the network reads \(cut.inputs.count) inputs (\(cut.inputs.map(\.summary).joined(separator: "; "))); one is supported, the others must be bound to constants (constantInputs; onnx-run --constant NAME=FILE.npy)")
            }
            let folded = try foldedAndMapped(cut, inputShapes: [input.name: inputShape])
            return try ONNXGraphAssembly(folded: folded, inputName: input.name, absorbed: [], layerNames: [:], savedLayers: nil).graph()
        }
    }

    /// `model` with the inputs named in `values` turned into initializers holding those values.
    /// Throws `EngineError.invalid` for a name that is not an input of the model (listing the
    /// inputs), and `EngineError.shapeMismatch` for a value whose shape does not fit the
    /// input's declared shape.
    static func binding(_ model: ONNXModel, _ values: [String: ONNXTensor]) throws -> ONNXModel {
        guard !values.isEmpty else { return model }
        var bound = model
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let index = bound.inputs.firstIndex(where: { $0.name == name }) else {
                throw EngineError.invalid("\(model.source): no input named '\(name)' to bind to a constant; the inputs are \(model.inputs.map(\.summary).joined(separator: "; "))")
            }
            let input = bound.inputs[index]
            if let declared = input.shape {
                let fits = declared.count == value.dims.count && zip(declared, value.dims).allSatisfy { dimension, size in
                    if case .fixed(let fixed) = dimension { return fixed == size }
                    return true
                }
                guard fits else {
                    throw EngineError.shapeMismatch("\(model.source): input \(input.summary) cannot hold a constant of shape \(value.dims)")
                }
            }
            bound.inputs.remove(at: index)
            bound.initializers[name] = value
            bound.initializerNames.append(name)
        }
        return bound
    }

    /// `model` with only the nodes needed for `output` (default: the first graph output), which
    /// becomes the one graph output.
    static func truncated(_ model: ONNXModel, at output: String?) throws -> ONNXModel {
        guard let target = output ?? model.outputs.first?.name else { throw EngineError.format("\(model.source): the model has no outputs") }
        var producer: [String: Int] = [:]
        for (index, node) in model.nodes.enumerated() { for value in node.outputs where !value.isEmpty { producer[value] = index } }
        guard let last = producer[target] else {
            throw EngineError.invalid("\(model.source): no node computes '\(target)'")
        }
        var needed = Set<Int>(), stack = [last]
        while let index = stack.popLast() {
            guard needed.insert(index).inserted else { continue }
            stack.append(contentsOf: model.nodes[index].inputs.compactMap { producer[$0] })
        }
        var cut = model
        cut.nodes = model.nodes.indices.filter { needed.contains($0) }.map { model.nodes[$0] }
        let read = Set(cut.nodes.flatMap(\.inputs))
        cut.inputs = model.inputs.filter { read.contains($0.name) }
        cut.outputs = [model.outputs.first { $0.name == target } ?? ONNXValueInfo(name: target, elementType: .float, shape: nil)]
        return cut
    }

    /// `model` folded, with every remaining operator mapped to a layer. Shape arithmetic
    /// (Unsqueeze or Concat of shapes) folds away before operators are judged; when folding
    /// itself fails on a model with unmapped operators, the unmapped operator is the error.
    private static func foldedAndMapped(_ model: ONNXModel, inputShapes: [String: [Int]]) throws -> ONNXFoldedModel {
        let folded: ONNXFoldedModel
        do {
            folded = try ONNXConstantFolding.fold(model, inputShapes: inputShapes)
        } catch let error as EngineError where error != .cancelled {
            try requireMapped(model)
            throw error
        }
        try requireMapped(folded.model)
        return folded
    }

    /// One error naming the first node whose operator has no layer yet, how many more there
    /// are, and the operators that are mapped and folded.
    static func requireMapped(_ model: ONNXModel) throws {
        let accepted = Set(ONNXNodeMapping.mapped + ONNXOperators.folded)
        let unmapped = model.nodes.filter { !accepted.contains($0.opType) }
        guard let first = unmapped.first else { return }
        var others: [String] = []
        for node in unmapped.dropFirst() where !others.contains(node.opType) { others.append(node.opType) }
        var message = "\(model.source): operator \(first.opType) of node '\(first.name)' cannot be imported yet"
        if unmapped.count > 1 {
            message += " (\(unmapped.count - 1) more such node\(unmapped.count == 2 ? "" : "s"): \(others.joined(separator: ", ")))"
        }
        message += ". ConvLens maps these ONNX operators to layers: \(ONNXNodeMapping.mapped.joined(separator: ", ")); "
            + "and folds these at load time: \(ONNXOperators.folded.joined(separator: ", "))"
        throw EngineError.unsupported(message)
    }

    /// "functional_1/block1_conv1_1/BiasAdd" -> "functional_1_block1_conv1_1_BiasAdd": letters,
    /// digits and "_" only, so a name is typed as is.
    public static func sanitized(_ name: String) -> String {
        var result = ""
        for character in name {
            let keep = character.isASCII && (character.isLetter || character.isNumber || character == "_")
            if keep { result.append(character) } else if !result.isEmpty, result.last != "_" { result.append("_") }
        }
        while result.hasSuffix("_") { result.removeLast() }
        return result
    }
}

/// Where the image enters an ONNX model, and at which size it is folded.
struct InputLayout {
    /// The model with free spatial dimensions when the size differs from the declared one.
    var model: ONNXModel
    let inputName: String
    let height: Int
    let width: Int
    let channelOrder: InputConvention.ChannelOrder
    /// Whether the file reads [N, H, W, C] behind absorbed transposes.
    let channelsLast: Bool
    /// Outputs of the absorbed transposes: they stand for the layer graph's input.
    let absorbed: Set<String>

    var channels: Int { channelOrder == .gray ? 1 : 3 }
    /// The shape the file's input is folded at (batch 1).
    var foldShape: [Int] { channelsLast ? [1, height, width, channels] : [1, channels, height, width] }
    /// The layer graph's input shape.
    var tensorShape: [Int] { [1, channels, height, width] }

    init(model: ONNXModel, options: ONNXImporter.Options) throws {
        guard model.inputs.count == 1, let input = model.inputs.first else {
            throw EngineError.unsupported("\(model.source): the network reads \(model.inputs.count) inputs (\(model.inputs.map(\.summary).joined(separator: "; "))); ConvLens imports networks with one image input, other inputs bound to constants (ONNXImporter.Options.constantInputs)")
        }
        let readers = model.nodes.filter { $0.inputs.contains(input.name) }
        let channelsLast = !readers.isEmpty && readers.allSatisfy { node in
            node.opType == "Transpose" && (try? node.ints("perm")) == [0, 3, 1, 2] && node.inputs.count == 1
        }
        if let declared = input.shape, declared.count != 4 {
            throw EngineError.unsupported("\(model.source): input \(input.summary) is not an image batch; ConvLens imports networks reading [N, C, H, W] (or [N, H, W, C] behind a Transpose)")
        }
        func fixed(_ axis: Int) -> Int? {
            guard let shape = input.shape, case .fixed(let size) = shape[axis] else { return nil }
            return size
        }
        let (channelAxis, heightAxis, widthAxis) = channelsLast ? (3, 1, 2) : (1, 2, 3)
        let declaredChannels = fixed(channelAxis)
        let order = options.channelOrder ?? (declaredChannels == 1 ? .gray : .rgb)
        let channels = order == .gray ? 1 : 3
        if let declaredChannels, declaredChannels != channels {
            throw EngineError.unsupported("\(model.source): input \(input.summary) has \(declaredChannels) channels; ConvLens feeds images of 1 (gray) or 3 (RGB, BGR) channels, here \(channels)")
        }
        let declaredSize = fixed(heightAxis).flatMap { height in fixed(widthAxis) == height ? height : nil }
        let size = options.size ?? declaredSize ?? 224
        height = options.height ?? size
        width = options.width ?? size
        var model = model
        if height != fixed(heightAxis) || width != fixed(widthAxis), var shape = input.shape {
            // Convolutions work at any size; what cannot is refused by shape inference, naming the node.
            shape[heightAxis] = .symbolic("height")
            shape[widthAxis] = .symbolic("width")
            model.inputs[0].shape = shape
        }
        self.model = model
        inputName = input.name
        channelOrder = order
        self.channelsLast = channelsLast
        absorbed = channelsLast ? Set(readers.flatMap(\.outputs)) : []
    }
}
