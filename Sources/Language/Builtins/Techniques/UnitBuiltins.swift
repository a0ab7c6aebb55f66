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
            Parameter("images", .pictures, doc: "the images to search: samples(), images(\"photos\"), ..."),
            Parameter("layer", .layerName, doc: "the layer of the unit"),
            Parameter("channel", .integer, default: Value.none, range: .atLeast(0),
                      doc: "the channel of the unit (none: a grid of the first `channels` channels)"),
            Parameter("top", .integer, default: .number(9), range: .closed(1, 1_000), doc: "how many patches per channel"),
            Parameter("channels", .integer, default: .number(6), range: .closed(1, 64),
                      doc: "without channel: how many channels, from 0"),
            Parameter("crops", .integer, default: .number(0), range: .closed(0, 64),
                      doc: "also scan this many random crops per image (30%, 50%, 70% of its shorter side)"),
            Parameter("per_image", .integer, default: .number(1), range: .closed(1, 1_000),
                      doc: "at most this many patches from one image"),
            Parameter("seed", .integer, default: Value.none, range: .atLeast(0), doc: "the crops' random seed (none: follow seed())"),
        ],
        returns: "image",
        summary: "The image patches that most activate a channel, cropped to its receptive field.",
        paragraph: "Every position of the channel over every image is a unit looking at one receptive field; one "
            + "streaming pass in batches keeps the strongest top per channel (a heap), so thousands of images take "
            + "memory for one batch. Without channel: the top patches of the first channels, one row each (the "
            + "lecture's top regions for six units). Progress counts images; interrupting shows the best so far. "
            + "Saved numbers: the activation values [channels, top].",
        example: "patches(model(), samples(), \"fire5\", 7)\npatches(model(), images(\"photos\"), \"fire9\", channels: 6)",
        lecture: "000 (1.7, maximally activating patches)"
    ) { call in
        let model = try call.model("net")
        let pictures = try call.pictures("images")
        let layer = try call.layer("layer", of: model)
        let channels = call.value("channel").isNone ? Array(0..<(try call.integer("channels"))) : [try call.integer("channel")]
        var search = PatchSearch(top: try call.integer("top"), perImage: try call.integer("per_image"),
                                 crops: try call.integer("crops"))
        search.seed = call.value("seed").isNone ? call.session.withRandom { $0.next() } : UInt64(try call.integer("seed"))
        let progress = call.session.startProgress("patches over images")
        let output = call.session.output
        let outcome = try search.run(network: model.network, images: pictures.map(\.image), layer: layer.name, channels: channels,
                                     shouldStop: { output.isCancelled },
                                     progress: { progress.report(step: $0, total: $1) })
        let picture = patchPicture(outcome, layer: layer.name)
        if outcome.stopped {
            // Interrupted: leave the best patches so far on screen, then stop the cell as usual.
            progress.report(step: outcome.imagesSearched, total: outcome.imagesGiven, picture: picture)
            try call.session.checkCancelled()
        }
        return .engine(.picture(picture))
    }

    /// One channel's grid, or one row of patches per channel labelled with the channel.
    static func patchPicture(_ outcome: PatchSearch.Outcome, layer: String) -> Picture {
        let searched = outcome.stopped ? " (best of the first \(outcome.imagesSearched) of \(outcome.imagesGiven) images)" : ""
        let top = outcome.results.map(\.patches.count).max() ?? 0
        let values = outcome.results.flatMap { result in result.values + Array(repeating: Float.nan, count: top - result.values.count) }
        if outcome.results.count == 1, let result = outcome.results.first {
            return Picture(canvas: result.render(), title: "patches of \(layer) channel \(result.channel)\(searched)",
                           numbers: ([result.values.count], result.values))
        }
        let canvas = outcome.renderRows(title: "top \(top) patches of \(outcome.results.count) channels of \(layer)\(searched)")
        return Picture(canvas: canvas, title: "patches of \(layer), channels \(outcome.results.first?.channel ?? 0)-\(outcome.results.last?.channel ?? 0)",
                       numbers: ([outcome.results.count, top], values))
    }

    static let neighbors = Builtin(
        "neighbors", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("query", .either(.picture, .pictures),
                      doc: "the image whose neighbours are sought, or a list of them (one row each, each left out of its own search)"),
            Parameter("images", .pictures, doc: "the images to search"),
            Parameter("layer", .layerName, doc: "the layer whose features are compared"),
            Parameter("k", .integer, default: .number(6), range: .atLeast(1), doc: "how many neighbours"),
            Parameter("pool", .choice(FeatureExtraction.Pooling.allCases.map(\.rawValue)), default: .string("none"),
                      doc: "none: compare every value; mean or max: one value per channel"),
        ],
        returns: "image",
        summary: "The images nearest to a query in a layer's feature space, query first.",
        paragraph: "Distances are Euclidean between the flattened activations: images near in a late layer look "
            + "alike to the network even when their pixels differ. With a list of queries, the figure has a row per "
            + "query (the lecture's grid) and a query that is one of the images is left out of its own search. Saved "
            + "numbers: the distance to every image (queries x images with a list, NaN where a query is left out).",
        example: "neighbors(model(), image(\"chelsea\"), [image(\"coffee\"), image(\"dog\")], \"pool5\", k: 2)",
        lecture: "000 (1.9, nearest neighbours)"
    ) { call in
        let model = try call.model("net")
        let pictures = try call.pictures("images")
        let layer = try call.layer("layer", of: model)
        let k = try call.integer("k")
        let progress = call.session.startProgress("neighbors over images")
        if case .list = call.value("query") {
            let queries = try call.pictures("query")
            guard !queries.isEmpty else { throw call.error("query", "the list of queries is empty") }
            let grid = try FeatureExtraction.neighborGrid(
                network: model.network, queries: queries.map(\.image), images: pictures.map(\.image), layer: layer.name,
                k: min(k, pictures.count), pooling: FeatureExtraction.Pooling(rawValue: try call.string("pool")) ?? .none,
                progress: { progress.report(step: $0, total: $1) })
            return .engine(.picture(Picture(canvas: grid.render(), title: "neighbours of \(queries.count) queries at \(layer.name)",
                                            numbers: ([queries.count, pictures.count], grid.allDistances))))
        }
        let query = try call.picture("query")
        let result = try FeatureExtraction.neighbors(network: model.network, query: query.image, images: pictures.map(\.image),
                                                     layer: layer.name, k: min(k, pictures.count),
                                                     pooling: FeatureExtraction.Pooling(rawValue: try call.string("pool")) ?? .none,
                                                     progress: { progress.report(step: $0, total: $1) })
        return .engine(.picture(Picture(canvas: result.render(), title: "neighbours of \(query.title) at \(layer.name)",
                                        numbers: ([result.allDistances.count], result.allDistances))))
    }
}
