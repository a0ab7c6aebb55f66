import Engine
import Foundation

/// Loading networks and reading their predictions: model, layers, classify, logits.
enum ModelBuiltins {
    static let family = "Models"

    static var all: [Builtin] { [model, layers, diagram, classify, logits, classes] }

    /// The names `model` knows besides file paths.
    static var zooNames: [String] { ModelLoading.names }

    static let model = Builtin(
        "model", family: family,
        parameters: [Parameter("name_or_path", .modelName, default: .string("squeezenet"),
                               doc: "\"squeezenet\", \"efficientnet_lite0\", \"mobilenet_v2\", \"lenet_mnist\", \"lenet_mnist_adv\", \"vgg16\", a weights file or an .onnx file")]
            + ONNXModelOptions.parameters
            + [Parameter("like", .model, default: Value.none,
                         doc: "a network whose graph the weights file fills (a file written by save(net, \"f.safetensors\"))")],
        returns: "model",
        summary: "Loads a pretrained network.",
        paragraph: "SqueezeNet 1.1, EfficientNet-Lite0 and MobileNetV2 are ImageNet classifiers (1000 classes); the LeNet-5 pair "
            + "reads MNIST digits, one trained normally and one adversarially; \"vgg16\" is VGG-16's ImageNet convolutions "
            + "(conv1_1 ... conv5_3, pool1 ... pool5) without classes. An .onnx file is imported with the input convention "
            + "given by size, order, scale, mean and std (the file's own when ConvLens saved it, else ImageNet's; a notice says "
            + "which were assumed). With like: a network, a weights file saved by save(net, \"f.safetensors\") is read into that network's graph. "
            + "A network is loaded once per session "
            + "and shared by every variable that names it. Shown as a value, a model is a table of its layers with "
            + "output shapes and receptive fields.",
        example: "net = model()\nlenet = model(\"lenet_mnist\")",
        lecture: "000 (1.1, the networks of the lectures)"
    ) { call in
        let nameOrPath = try call.string("name_or_path")
        if call.isGiven("like") {
            try ONNXModelOptions.refuseForBuiltins(call)
            return .engine(.model(try loadWeights(nameOrPath, like: try modelValue(call, "like"), call: call)))
        }
        if ModelLoading.isPath(nameOrPath), nameOrPath.lowercased().hasSuffix(".onnx") {
            return .engine(.model(try ONNXModelOptions.load(nameOrPath, call: call)))
        }
        try ONNXModelOptions.refuseForBuiltins(call)
        return .engine(.model(try loadModel(nameOrPath, call: call)))
    }

    static let layers = Builtin(
        "layers", family: family,
        parameters: [Parameter("net", .model, doc: "a model from model()")],
        returns: "table",
        summary: "Lists a network's layers with output shapes, receptive fields and parameter counts.",
        paragraph: "The receptive field is the side of the input square one unit of the layer sees; jump is the "
            + "input distance between neighbouring units and start the centre of the first one. Layer names here "
            + "are what activations, patches and gradcam take.",
        example: "layers(model())",
        lecture: "000 (1.6, receptive fields)"
    ) { call in
        .table(try modelValue(call, "net").layerTable)
    }

    static let diagram = Builtin(
        "diagram", family: family,
        parameters: [Parameter("net", .model, doc: "a model from model()")],
        returns: "image",
        summary: "Draws a network's layer graph: a box per layer with its output shape, arrows for what reads what.",
        paragraph: "Layers run top to bottom in forward order, each box with its kind, output shape (channels x height x width) "
            + "and parameter count, coloured by what it computes. An arrow joins a layer to the next when that one reads it; "
            + "every other connection (a residual shortcut, branches joining) is a line on the right, so skips and "
            + "branches show as in the lectures' ResNet figure. Long networks continue in further columns.",
        example: "diagram(model(\"mobilenet_v2\"))",
        lecture: "002 (the AlexNet, VGG and 34-layer residual diagrams)"
    ) { call in
        let model = try modelValue(call, "net")
        guard let network = model.network as? GraphNetwork else {
            throw call.error("net", .value, "\(model.network.name) is not a layer graph")
        }
        let diagram = try LayerDiagram(network: network)
        return .engine(.picture(Picture(canvas: diagram.render(), title: "diagram of \(network.name)")))
    }

    static let classify = Builtin(
        "classify", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "an image from image()"),
            Parameter("top", .integer, default: .number(5), range: .atLeast(1), doc: "how many classes to list"),
        ],
        returns: "table",
        summary: "Classifies an image: the top classes with their probabilities.",
        paragraph: "The image is resized (shorter side) and centre-cropped to the network's input size and "
            + "normalised as the network was trained; an image already at the input size is used as it is. "
            + "Probabilities are the softmax of the logits.",
        example: "classify(model(), image(\"chelsea\"), top: 3)",
        lecture: "000 (1.2, what the network predicts)"
    ) { call in
        let model = try modelValue(call, "net")
        let picture = try pictureValue(call, "img")
        let top = try call.integer("top")
        let names = try call.classes(of: model, for: "net")
        let classes = names.count
        let scores = try forward(model, picture)
        let probabilities = try scores.softmax(axis: -1).data
        let ranked = probabilities.indices.sorted { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
        let rows: [[Value]] = ranked.prefix(min(top, max(classes, probabilities.count))).map { index in
            [.number(Double(index)), .string(index < classes ? names[index] : "class \(index)"),
             .number(Double(probabilities[index]))]
        }
        return .table(Table(title: "\(model.network.name) on \(picture.title)", columns: ["index", "class", "probability"], rows: rows))
    }

    static let logits = Builtin(
        "logits", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "an image from image()"),
        ],
        returns: "tensor",
        summary: "The network's raw class scores before the softmax.",
        paragraph: "A tensor of shape [classes]; index it with a class index (logits(net, img)[281]). "
            + "Saliency and Grad-CAM differentiate these scores, not the probabilities.",
        example: "scores = logits(model(), image(\"chelsea\"))\nscores[281]",
        lecture: "003 (saliency differentiates the class score)"
    ) { call in
        let scores = try forward(try modelValue(call, "net"), try pictureValue(call, "img"))
        return .engine(.tensor(try Tensor(shape: [scores.count], data: scores.data)))
    }

    static let classes = Builtin(
        "classes", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("search", .string, default: Value.none, doc: "only classes with a synonym containing this text"),
        ],
        returns: "table",
        summary: "Lists a network's classes with their indices and synonyms, optionally only those matching a search.",
        paragraph: "Techniques take a class by index or by name (\"tabby\", \"tabby cat\" or 281); this finds the "
            + "index of a name, or every class a word appears in.",
        example: "classes(model(), search: \"cat\")"
    ) { call in
        let model = try modelValue(call, "net")
        _ = try call.classes(of: model, for: "net")
        let search = try call.optionalString("search")?.lowercased()
        let synonyms = ImageNetClasses.synonyms(of: model.network.classNames)
        let rows: [[Value]] = model.network.classNames.enumerated().compactMap { index, name in
            let names = synonyms[index].joined(separator: ", ")
            if let search, !names.lowercased().contains(search) { return nil }
            return [.number(Double(index)), .string(name), .string(names)]
        }
        let counted = "\(rows.count) \(rows.count == 1 ? "class" : "classes") of \(model.network.name)"
        let title = search.map { "\(counted) matching '\($0)'" } ?? counted
        return .table(Table(title: title, columns: ["index", "class", "synonyms"], rows: rows))
    }

    // MARK: Shared

    static func modelValue(_ call: Invocation, _ name: String) throws -> ModelValue {
        guard case .engine(.model(let model)) = call.value(name) else {
            throw call.error(name, .type, "expected a model, got \(call.value(name).typeName)", hint: "load one with model()")
        }
        return model
    }

    static func pictureValue(_ call: Invocation, _ name: String) throws -> Picture {
        guard case .engine(.picture(let picture)) = call.value(name) else {
            throw call.error(name, .type, "expected an image, got \(call.value(name).typeName)", hint: "load one with image(\"chelsea\")")
        }
        return picture
    }

    /// The logits [1, classes] of one image.
    static func forward(_ model: ModelValue, _ picture: Picture) throws -> Tensor {
        let input = try model.network.preprocess(picture.image)
        return try model.network.forward(input, capture: [], until: nil).output.detached()
    }

    /// The graph of `like` with the weights of the file at `path`, read anew at each call (the
    /// file may have been saved again since).
    static func loadWeights(_ path: String, like: ModelValue, call: Invocation) throws -> ModelValue {
        guard let network = like.network as? GraphNetwork else {
            throw call.error("like", .type, "\(like.network.name) is not a layer graph")
        }
        let resolved = (path as NSString).expandingTildeInPath
        guard !resolved.lowercased().hasSuffix(".onnx") else {
            throw call.error("like", "like: reads weights files (.safetensors, .pth); an .onnx file carries its own graph", hint: "model(\"\(path)\")")
        }
        let name = ((resolved as NSString).lastPathComponent as NSString).deletingPathExtension
        do {
            return ModelValue(network: try network.withWeights(try WeightFile.load(path: resolved), name: name), source: path)
        } catch EngineError.cancelled {
            throw EngineError.cancelled
        } catch EngineError.io(let message) {
            throw call.error("name_or_path", .io, message)
        } catch let error as EngineError {
            throw call.error("name_or_path", .io, "cannot load '\(path)' into \(network.name): \(error.description)")
        }
    }

    /// A zoo network or weights file, loaded once per session.
    static func loadModel(_ nameOrPath: String, call: Invocation) throws -> ModelValue {
        // Names and aliases resolve in the engine's one table; a path is used as written.
        let resolved: String
        if ModelLoading.isPath(nameOrPath) {
            resolved = (nameOrPath as NSString).expandingTildeInPath
        } else if let name = ModelLoading.canonicalName(nameOrPath) {
            resolved = name
        } else {
            let closest = NameSuggestion.closest(to: nameOrPath, among: ModelLoading.acceptedNames).first
                .flatMap(ModelLoading.canonicalName)
            throw call.error("name_or_path", "there is no model '\(nameOrPath)'",
                             hint: "choose " + (closest.map { "'\($0)'" } ?? zooNames.map { "\"\($0)\"" }.joined(separator: ", "))
                                 + " or give a weights file path")
        }
        let key = "model:" + resolved
        if let cached = call.session.caches[key] as? ModelValue { return cached }
        do {
            let model = ModelValue(network: try ModelLoading.load(resolved), source: nameOrPath)
            call.session.caches[key] = model
            return model
        } catch EngineError.cancelled {
            throw EngineError.cancelled // an interrupt during the read stays an interrupt
        } catch EngineError.io(let message) {
            throw call.error("name_or_path", .io, message) // already names the file and says what is wrong
        } catch EngineError.unsupported(let message) where resolved.hasSuffix(".safetensors") || resolved.hasSuffix(".pth") {
            throw call.error("name_or_path", .io, message, hint: "model(\"\(nameOrPath)\", like: net) reads weights into the graph of net")
        } catch let error as EngineError {
            throw call.error("name_or_path", .io, "cannot load '\(nameOrPath)': \(error.description)")
        }
    }
}
