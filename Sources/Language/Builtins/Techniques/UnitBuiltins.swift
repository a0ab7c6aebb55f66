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
            Parameter("channel", .integers, default: Value.none,
                      doc: "the channel of the unit, or a list of channels (one row each; none: the first `channels` channels)"),
            Parameter("top", .integer, default: .number(9), range: .closed(1, 1_000), doc: "how many patches per channel"),
            Parameter("channels", .integer, default: .number(6), range: .closed(1, 64),
                      doc: "without channel: how many channels, from 0"),
            Parameter("crops", .integer, default: .number(0), range: .closed(0, 64),
                      doc: "also scan this many random crops per image (30%, 50%, 70% of its shorter side)"),
            Parameter("per_image", .integer, default: .number(1), range: .closed(1, 1_000),
                      doc: "at most this many patches from one image"),
            Parameter("seed", .integer, default: Value.none, range: .atLeast(0), doc: "the crops' random seed (none: follow seed())"),
            Parameter("context", .bool, default: .bool(false),
                      doc: "beside each patch, the whole image it came from with the receptive field outlined"),
            Parameter("guided", .bool, default: .bool(false),
                      doc: "beside each patch, guided backpropagation of its unit cropped to the receptive field"),
        ],
        returns: "image",
        summary: "The image patches that most activate a channel, cropped to its receptive field.",
        paragraph: "Every position of the channel over every image is a unit looking at one receptive field; one "
            + "streaming pass in batches keeps the strongest top per channel (a heap), so thousands of images take "
            + "memory for one batch. Without channel: the top patches of the first channels, one row each (the "
            + "lecture's top regions for six units); a list of channels gives one row each. context: true draws, beside "
            + "each patch, the image it came from with the receptive field outlined; guided: true the guided "
            + "backpropagation of that very unit, cropped to the field (lecture 000, 1.15: patches left, guided "
            + "backprop right). Progress counts images; interrupting shows the best so far. "
            + "Saved numbers: the activation values [channels, top]; p.sources is the index of each patch's image "
            + "in images, in the same order.",
        example: "patches(model(), samples(), \"fire5\", 7)\npatches(model(), images(\"photos\"), \"fire9\", channels: 6)",
        lecture: "000 (1.7, maximally activating patches)"
    ) { call in
        let model = try call.model("net")
        let pictures = try call.pictures("images")
        let layer = try call.layer("layer", of: model)
        let chosen = call.value("channel").isNone ? nil : try call.integers("channel", limit: 64)
        if let chosen, chosen.isEmpty { throw call.error("channel", "no channels given", hint: "channel: 5 or channel: [5, 12]") }
        if let negative = chosen?.first(where: { $0 < 0 }) { throw call.error("channel", "channel \(negative) is negative") }
        let channels = try chosen ?? Array(0..<(call.integer("channels")))
        let views = PatchViews.Options(context: try call.bool("context"), guided: try call.bool("guided"))
        // A list of channels always gives rows; one whole number, or channels: 1, the single grid.
        let rows = chosen == nil ? channels.count > 1 : call.value("channel").integerValue == nil
        var search = PatchSearch(top: try call.integer("top"), perImage: try call.integer("per_image"),
                                 crops: try call.integer("crops"))
        search.seed = call.value("seed").isNone ? call.session.withRandom { $0.next() } : UInt64(try call.integer("seed"))
        let progress = call.session.startProgress("patches over images")
        let output = call.session.output
        let outcome = try search.run(network: model.network, images: pictures.map(\.image), layer: layer.name, channels: channels,
                                     shouldStop: { output.isCancelled },
                                     progress: { progress.report(step: $0, total: $1) })
        var picture = patchPicture(outcome, layer: layer.name, rows: rows || !views.isEmpty)
        if !views.isEmpty {
            let title = picture.title
            let canvas = try PatchSearch.renderRows(outcome, title: rowsTitle(outcome, layer: layer.name), images: pictures.map(\.image),
                                                    network: model.network, views: views)
            picture = Picture(canvas: canvas, title: title, numbers: picture.numbers)
        }
        let top = outcome.results.map(\.patches.count).max() ?? 0
        picture.curves = ["sources": outcome.results.flatMap { result in
            result.patches.map { Float($0.imageIndex) } + Array(repeating: Float.nan, count: top - result.patches.count)
        }]
        if outcome.stopped {
            // Interrupted: leave the best patches so far on screen, then stop the cell as usual.
            progress.report(step: outcome.imagesSearched, total: outcome.imagesGiven, picture: picture, counting: "images")
            try call.session.checkCancelled()
        }
        return .engine(.picture(picture))
    }

    /// One channel's grid, or one row of patches per channel labelled with the channel.
    static func patchPicture(_ outcome: PatchSearch.Outcome, layer: String, rows: Bool = true) -> Picture {
        let searched = searchedNote(outcome)
        let top = outcome.results.map(\.patches.count).max() ?? 0
        let values = outcome.results.flatMap { result in result.values + Array(repeating: Float.nan, count: top - result.values.count) }
        if !rows, outcome.results.count == 1, let result = outcome.results.first {
            return Picture(canvas: result.render(), title: "patches of \(layer) channel \(result.channel)\(searched)",
                           numbers: ([result.values.count], result.values))
        }
        let canvas = outcome.renderRows(title: rowsTitle(outcome, layer: layer))
        let names = outcome.results.map { String($0.channel) }.joined(separator: ", ")
        return Picture(canvas: canvas, title: "patches of \(layer), channels \(names)",
                       numbers: ([outcome.results.count, top], values))
    }

    static func searchedNote(_ outcome: PatchSearch.Outcome) -> String {
        outcome.stopped ? " (best of the first \(outcome.imagesSearched) of \(outcome.imagesGiven) images)" : ""
    }

    static func rowsTitle(_ outcome: PatchSearch.Outcome, layer: String) -> String {
        let top = outcome.results.map(\.patches.count).max() ?? 0
        let units = outcome.results.count == 1 ? "channel \(outcome.results[0].channel)" : "\(outcome.results.count) channels"
        return "top \(top) patches of \(units) of \(layer)\(searchedNote(outcome))"
    }

    static let neighbors = Builtin(
        "neighbors", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("query", .either(.picture, .integers),
                      doc: "the image whose neighbours are sought, or indices into images: one row each, each query left out of its own search"),
            Parameter("images", .pictures, doc: "the images to search"),
            Parameter("layer", .layerName, doc: "the layer whose features are compared"),
            Parameter("k", .integer, default: .number(6), range: .atLeast(1), doc: "how many neighbours"),
            Parameter("pool", .choice(FeatureExtraction.Pooling.allCases.map(\.rawValue)), default: .string("none"),
                      doc: "none: compare every value; mean or max: one value per channel"),
        ],
        returns: "image",
        summary: "The images nearest to a query in a layer's feature space, query first.",
        paragraph: "Distances are Euclidean between the flattened activations: images near in a late layer look "
            + "alike to the network even when their pixels differ. With query: [i, j, ...] the queries are images "
            + "of the set itself, each left out of its own search, one row per query (the lecture's grid of queries "
            + "by six neighbours); n.neighbors is then the neighbours' indices, row by row. Saved numbers: the "
            + "distance to every image ([queries, images] for several queries).",
        example: "neighbors(model(), image(\"chelsea\"), [image(\"coffee\"), image(\"dog\")], \"pool5\", k: 2)\n"
            + "photos = images(\"photos\")\nneighbors(model(), [3, 40, 100], photos, \"fire9\", pool: \"mean\")",
        lecture: "000 (1.9, nearest neighbours)"
    ) { call in
        let model = try call.model("net")
        let pictures = try call.pictures("images")
        let layer = try call.layer("layer", of: model)
        let k = try call.integer("k")
        let pooling = FeatureExtraction.Pooling(rawValue: try call.string("pool")) ?? .none
        if case .engine(.picture) = call.value("query") {} else {
            let queries = try call.integers("query", limit: 64)
            if let bad = queries.first(where: { !pictures.indices.contains($0) }) {
                throw call.error("query", "query \(bad) is not an index into the \(pictures.count) images (0 to \(pictures.count - 1))")
            }
            guard pictures.count >= 2 else { throw call.error("images", "a query left out of one image leaves none to search") }
            let progress = call.session.startProgress("neighbors over images")
            let grid = try NeighborGrid.compute(network: model.network, images: pictures.map(\.image), queries: queries,
                                                layer: layer.name, k: min(k, pictures.count - 1), pooling: pooling,
                                                progress: { progress.report(step: $0, total: $1) })
            let picture = Picture(canvas: grid.render(names: pictures.map(\.title)),
                                  title: "neighbours of \(queries.count) queries at \(layer.name)",
                                  numbers: ([queries.count, pictures.count], grid.allDistances.flatMap { $0 }))
            picture.curves = ["neighbors": grid.neighbors.flatMap { $0.map(Float.init) }]
            return .engine(.picture(picture))
        }
        let query = try call.picture("query")
        let progress = call.session.startProgress("neighbors over images")
        let result = try FeatureExtraction.neighbors(network: model.network, query: query.image, images: pictures.map(\.image),
                                                     layer: layer.name, k: min(k, pictures.count),
                                                     pooling: pooling,
                                                     progress: { progress.report(step: $0, total: $1) })
        return .engine(.picture(Picture(canvas: result.render(), title: "neighbours of \(query.title) at \(layer.name)",
                                        numbers: ([result.allDistances.count], result.allDistances))))
    }
}
