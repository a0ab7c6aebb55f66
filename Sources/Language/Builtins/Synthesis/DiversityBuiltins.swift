import Engine

/// Several images of one unit at once: diversity (Olah et al. 2017) and multifaceted
/// visualization (Nguyen et al. 2016), lecture 000 sections 1.19-1.20 and lecture 004.
enum DiversityBuiltins {
    static var all: [Builtin] { [diversity, facets] }

    static let diversity = Builtin(
        "diversity", family: SynthesisBuiltins.family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("layer", .layerName, doc: "the layer of the channel"),
            Parameter("channel", .integer, range: .atLeast(0), doc: "the channel whose mean each image maximises"),
            Parameter("count", .integer, default: .number(4), range: Diversity.Options.countRange, doc: "how many images, optimized together"),
            Parameter("weight", .number, default: .number(200), range: Diversity.Options.weightRange,
                      doc: "weight of the penalty on pairwise Gram similarity (200 is lucid's 1e2 on this scale)"),
            Parameter("steps", .integer, default: .number(512), range: ClassVisualization.Options.stepRange, doc: "Adam steps"),
            Parameter("images", .pictures, default: Value.none, doc: "images whose top patches are shown below (default: samples())"),
        ],
        returns: "image",
        summary: "Diversity: several images of one channel, pushed apart in style by a penalty on their Gram matrices.",
        paragraph: "count images are optimized together (Fourier parameterization, decorrelated colour, random transforms, "
            + "Adam, as visualize with regularizer: \"fourier\"): each maximises the channel's mean, and the sum over pairs of "
            + "the cosine similarity of their Gram matrices at the layer below is subtracted, weight times (Olah et al. 2017, "
            + "\"Feature Visualization\", Diversity). A single visualization shows one facet; the batch shows several. The "
            + "picture shows the images side by side, the mean pairwise Gram similarity over the steps, and the channel's top "
            + "dataset patches. seed() makes it repeatable; stop keeps what was made. save as .npy writes the images "
            + "[count, H, W, C], 0 to 1.",
        example: "diversity(model(), layer: \"fire6\", channel: 5, count: 4)",
        lecture: "000 (1.19-1.20, diversity)"
    ) { call in
        let model = try call.model("net")
        let layer = try call.layer("layer", of: model)
        let channel = try call.integer("channel")
        let channels = layer.outputShape.first ?? 0
        guard layer.outputShape.count == 3, channel < channels else {
            throw call.error("channel", layer.outputShape.count == 3 ? "\(layer.name) has channels 0 to \(channels - 1), not \(channel)"
                                                                      : "\(layer.name) has shape \(layer.outputShape); a channel's mean needs a [C, H, W] layer")
        }
        var options = Diversity.Options(count: try call.integer("count"), weight: Float(try call.number("weight")),
                                        steps: try call.integer("steps"))
        options.seed = call.session.withRandom { $0.next() }
        do {
            options.gramLayer = try Diversity.layerBelow(layer.name, in: model.network)
        } catch let error as EngineError {
            throw call.error("layer", error.description)
        }
        let label = "\(layer.name) channel \(channel)"
        let progress = call.session.startProgress("diversity of \(label)")
        let stop = StopRequest()
        let controls = RunControls.stop(session: call.session, request: stop)
        defer { controls.end() }
        let result = try stop.honoured {
            try Diversity.run(network: model.network, layer: layer.name, channel: channel, options: options) { step, total, images, value in
                let strip = images.flatMap { try? SynthesisBuiltins.strip($0) }
                progress.report(step: step, total: total, picture: strip.map { Picture(image: $0, title: label) }, objective: Double(value))
            }
        }
        let pictures = try patchImages(call)
        let patches = pictures.isEmpty ? nil
            : try MaximallyActivatingPatches.compute(network: model.network, images: pictures, layer: layer.name, channel: channel, top: 8)
        let stopped = result.interrupted ? (stop.isSet ? " (stopped)" : " (interrupted)") : ""
        progress.finish("diversity of \(label): \(result.objective.count) steps\(stopped), mean Gram similarity "
                        + "\(NumberFormatting.format(Double(result.similarity.first ?? 0))) -> \(NumberFormatting.format(Double(result.similarity.last ?? 0)))")
        let first = result.images[0]
        let picture = Picture(image: try SynthesisBuiltins.strip(result.images), title: "diversity of \(label)",
                              numbers: ([result.images.count, first.height, first.width, first.channels], result.images.flatMap(\.pixels)),
                              shown: result.render(patches: patches))
        picture.curves = ["objective": result.objective, "similarity": result.similarity]
        return .engine(.picture(picture))
    }

    static let facets = Builtin(
        "facets", family: SynthesisBuiltins.family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("class", .className, default: Value.none, doc: "the class whose logit is visualized"),
            Parameter("layer", .layerName, default: Value.none, doc: "or: the layer of a channel"),
            Parameter("channel", .integer, default: Value.none, range: .atLeast(0), doc: "the channel of that layer"),
            Parameter("images", .pictures, default: Value.none, doc: "the dataset searched for the unit's top images (default: samples())"),
            Parameter("count", .integer, default: .number(4), range: Facets.Options.countRange, doc: "how many facets (k-means clusters)"),
            Parameter("steps", .integer, default: .number(200), range: ClassVisualization.Options.stepRange, doc: "gradient ascent steps per facet"),
        ],
        returns: "image",
        summary: "Multifaceted visualization: one visualization per kind of image that excites the unit.",
        paragraph: "After Nguyen, Yosinski and Clune 2016: the images that most activate the unit are embedded by their codes "
            + "at the unit's layer (for a class, the layer feeding the scores) with t-SNE and clustered with k-means into count "
            + "facets; each facet's visualization (l2++ gradient ascent, as visualize) starts from the mean of the 15 images "
            + "nearest its centroid. Each row shows the facet's start, its visualization and its nearest images. seed() makes "
            + "it repeatable; stop keeps the facets made. save as .npy writes the visualizations [count, H, W, C].",
        example: "facets(model(), class: \"bell pepper\", images: samples(), count: 3)",
        lecture: "004 (multifaceted visualization)"
    ) { call in
        let model = try call.model("net")
        let objective: SynthesisObjective
        if call.isGiven("layer") {
            if call.isGiven("class") { throw call.error("class", .argument, "give either class or layer and channel, not both") }
            let layer = try call.layer("layer", of: model)
            guard call.isGiven("channel") else { throw call.error("layer", .argument, "a layer needs a channel", hint: "channel: 0") }
            let channel = try call.integer("channel")
            let channels = layer.outputShape.first ?? 0
            guard layer.outputShape.count == 3, channel < channels else {
                throw call.error("channel", "\(layer.name) has shape \(layer.outputShape); channel \(channel) is not one of its [C, H, W] channels")
            }
            objective = .channel(layer: layer.name, channel: channel)
        } else {
            guard let index = try call.classIndex("class", of: model) else {
                throw call.error("class", .argument, "facets needs a class, or a layer and a channel", hint: "facets(net, class: \"tabby\")")
            }
            objective = .classScore(index)
        }
        let images = try patchImages(call)
        let count = try call.integer("count")
        guard images.count >= max(3, count) else {
            throw call.error("images", "\(count) facets need at least \(max(3, count)) images, got \(images.count)")
        }
        var options = Facets.Options(count: count, steps: try call.integer("steps"))
        options.seed = call.session.withRandom { $0.next() }
        let label = objective.label(model.network)
        let progress = call.session.startProgress("facets of \(label)")
        let stop = StopRequest()
        let controls = RunControls.stop(session: call.session, request: stop)
        defer { controls.end() }
        let result = try stop.honoured {
            try Facets.run(network: model.network, objective: objective, images: images, options: options) { step, total, image, value in
                progress.report(step: step, total: total, picture: image.map { Picture(image: $0, title: label) }, objective: Double(value))
            }
        }
        let stopped = result.interrupted ? (stop.isSet ? " (stopped)" : " (interrupted)") : ""
        progress.finish("facets of \(label): \(result.facets.count) facets from \(result.embedded.count) images\(stopped)")
        let made = result.facets.map(\.result.image)
        guard let first = made.first else { throw LensError(.interrupted, "facets: stopped before the first facet", at: call.callSpan) }
        return .engine(.picture(Picture(image: try SynthesisBuiltins.strip(made), title: "facets of \(label)",
                                        numbers: ([made.count, first.height, first.width, first.channels], made.flatMap(\.pixels)),
                                        shown: result.render(images: images))))
    }

    /// The images given, or the sample photos (none when they are not installed).
    static func patchImages(_ call: Invocation) throws -> [Image] {
        if call.isGiven("images") { return try call.pictures("images").map(\.image) }
        return try SampleImages().names.map { try SampleSet.load($0, call: call).image }
    }
}

extension SynthesisBuiltins {
    /// Images of one size side by side, 2 px of white between them.
    /// - Throws: `EngineError.invalid` for an empty list.
    static func strip(_ images: [Image]) throws -> Image {
        guard let first = images.first else { throw EngineError.invalid("strip: no images to show") }
        let (gap, channels) = (2, first.channels)
        let width = images.count * first.width + (images.count - 1) * gap
        var pixels = [Float](repeating: 1, count: width * first.height * channels)
        for (item, image) in images.enumerated() where image.height == first.height && image.channels == channels {
            let left = item * (first.width + gap)
            for y in 0..<image.height {
                for x in 0..<image.width {
                    for c in 0..<channels { pixels[(y * width + left + x) * channels + c] = image.pixels[(y * image.width + x) * channels + c] }
                }
            }
        }
        return try Image(width: width, height: first.height, channels: channels, pixels: pixels)
    }
}
