import Engine

/// What single units and whole layers respond to: filters, patches, neighbors.
enum UnitBuiltins {
    static let family = "Units and features"

    static var all: [Builtin] { [filters, patches, neighbors] }

    static let filters = Builtin(
        "filters", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("layer", .layerName, doc: "a convolution layer"),
            Parameter("mode", .choice(FilterVisualization.Mode.allCases.map(\.rawValue)), default: Value.none,
                      doc: "rgb tiles (first layer) or gray C_out x C_in tiles; none picks by layer"),
            ToneParameter.parameter("tone", default: .minMax, doc: "tone mapping of each filter's weights"),
            Parameter("count", .integer, default: .number(64), range: .closed(1, 4_096), doc: "how many filters to show (the first ones)"),
            Parameter("inputs", .integer, default: .number(16), range: .closed(1, 4_096),
                      doc: "gray mode: how many input channels per filter"),
        ],
        returns: "image",
        summary: "A convolution layer's filters as a labelled grid of tiles.",
        paragraph: "First-layer filters live in image space and show as small RGB pictures (edges, colour blobs); "
            + "deeper filters have one gray tile per input channel. Saved numbers: the weights [filters, inputs, k, k].",
        example: "filters(model(), \"conv1\")",
        lecture: "000 (1.4, visualizing filters)"
    ) { call in
        let model = try call.model("net")
        let layer = try call.layer("layer", of: model)
        let mode = try call.optionalString("mode").flatMap(FilterVisualization.Mode.init(rawValue:))
        let count = try call.integer("count"), inputs = try call.integer("inputs")
        let result = try FilterVisualization.compute(network: model.network, layer: layer.name, mode: mode,
                                                     maxFilters: count, maxInputChannels: inputs)
        return .engine(.picture(Picture(canvas: result.render(toneMap: try ToneParameter.read(call, "tone") ?? .minMax), title: "filters of \(layer.name)",
                                        numbers: ([result.filterCount, result.inputChannels, result.kernel, result.kernel], result.weights))))
    }

    static let patches = Builtin(
        "patches", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("images", .pictures, doc: "the images to search (a list from image())"),
            Parameter("layer", .layerName, doc: "the layer of the unit"),
            Parameter("channel", .integer, range: .atLeast(0), doc: "the channel of the unit"),
            Parameter("top", .integer, default: .number(9), range: .atLeast(1), doc: "how many patches"),
        ],
        returns: "image",
        summary: "The image patches that most activate one channel, cropped to its receptive field.",
        paragraph: "Every position of the channel over every image is a unit looking at one receptive field; the "
            + "strongest few are cropped and shown with their activation. Saved numbers: the activation values.",
        example: "patches(model(), [image(\"chelsea\"), image(\"coffee\")], \"fire5\", 7)",
        lecture: "000 (1.7, maximally activating patches)"
    ) { call in
        let model = try call.model("net")
        let pictures = try call.pictures("images")
        let layer = try call.layer("layer", of: model)
        let channel = try call.integer("channel")
        let top = try call.integer("top")
        let progress = call.session.startProgress("patches")
        let result = try MaximallyActivatingPatches.compute(network: model.network, images: pictures.map(\.image), layer: layer.name,
                                                            channel: channel, top: top,
                                                            progress: { progress.report(step: $0, total: $1) })
        return .engine(.picture(Picture(canvas: result.render(), title: "patches of \(layer.name) channel \(channel)",
                                        numbers: ([result.values.count], result.values))))
    }

    static let neighbors = Builtin(
        "neighbors", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("query", .picture, doc: "the image whose neighbours are sought"),
            Parameter("images", .pictures, doc: "the images to search"),
            Parameter("layer", .layerName, doc: "the layer whose features are compared"),
            Parameter("k", .integer, default: .number(6), range: .atLeast(1), doc: "how many neighbours"),
        ],
        returns: "image",
        summary: "The images nearest to a query in a layer's feature space, query first.",
        paragraph: "Distances are Euclidean between the flattened activations: images near in a late layer look "
            + "alike to the network even when their pixels differ. Saved numbers: the distance to every image.",
        example: "neighbors(model(), image(\"chelsea\"), [image(\"coffee\"), image(\"dog\")], \"pool5\", k: 2)",
        lecture: "000 (1.9, nearest neighbours)"
    ) { call in
        let model = try call.model("net")
        let query = try call.picture("query")
        let pictures = try call.pictures("images")
        let layer = try call.layer("layer", of: model)
        let k = try call.integer("k")
        let result = try FeatureExtraction.neighbors(network: model.network, query: query.image, images: pictures.map(\.image),
                                                     layer: layer.name, k: min(k, pictures.count))
        return .engine(.picture(Picture(canvas: result.render(), title: "neighbours of \(query.title) at \(layer.name)",
                                        numbers: ([result.allDistances.count], result.allDistances))))
    }
}
