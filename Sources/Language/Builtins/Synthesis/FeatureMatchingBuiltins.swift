import Engine

/// Feature inversion, texture synthesis and neural style transfer (lectures 003 and 004): images
/// made to match what the network sees in other images.
enum FeatureMatchingBuiltins {
    static let family = "Synthesis"

    static var all: [Builtin] { [invert, texture, style] }

    static let invert = Builtin(
        "invert", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "the image whose features are inverted"),
            Parameter("layer", .layerName, doc: "the layer whose features the new image must match"),
            stepsParameter,
            Parameter("smooth", .number, default: .number(0.3), range: FeatureMatching.Options.smoothnessRange,
                      doc: "weight of the total variation prior (0: none)"),
            Parameter("size", .integer, default: Value.none, range: sizeRange,
                      doc: "the side of the (square) reconstruction in pixels (none: the network's input size); smaller is faster"),
        ],
        returns: "image",
        summary: "Feature inversion: an image, from noise, whose features at a layer match those of another image.",
        paragraph: "Mahendran and Vedaldi: minimise the distance between the layer's features of the new image and of "
            + "the given one, plus a total variation prior. Early layers keep almost every pixel; deeper layers keep "
            + "what the network needs (parts, layout) and lose colour and texture detail.",
        example: "invert(model(), image(\"chelsea\"), \"fire5\")",
        lecture: "003 and 004 (feature inversion)"
    ) { call in
        let model = try call.model("net")
        let picture = try call.picture("img")
        let layer = try call.layer("layer", of: model)
        let steps = try call.integer("steps")
        let smooth = try call.number("smooth")
        // A convolutional layer's features exist at any input size; a smaller square costs less
        // per step (the cost goes with the pixel count), for demos that must run in seconds.
        let (height, width) = call.value("size").isNone ? model.network.inputSize
            : (try call.integer("size"), try call.integer("size"))
        var options = FeatureMatching.Options(steps: steps, smoothness: Float(smooth))
        options.seed = call.session.withRandom { $0.next() }
        // The network's own view (resized and centre-cropped), so the target is not stretched; an
        // image below the network's floor would be all interpolation once fitted.
        try NetworkInputFloor.check(picture.image, role: .image, network: model.network, layer: layer.name)
        let original = try picture.image.fitted(width: width, height: height)
        let made = try optimise(call, title: "inversion of \(picture.title) at \(layer.name)", model: model,
                                target: FeatureMatching.Target(content: (original, layer.name)),
                                height: height, width: width, options: options)
        return result(title: "inversion of \(picture.title) at \(layer.name)", image: made,
                      panels: [(original, "image"), (made.image, "from \(layer.name) features")], steps: steps)
    }

    static let texture = Builtin(
        "texture", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "the texture to imitate"),
            Parameter("layers", .list, default: Value.none, doc: "layers whose Gram matrices are matched (none: five from early to middle; on VGG-16 conv1_1 ... conv5_1)"),
            stepsParameter,
            Parameter("size", .integer, default: .number(224), range: sizeRange, doc: "the side of the new texture in pixels"),
        ],
        returns: "image",
        summary: "Neural texture synthesis: a new image, from noise, with the same Gram matrices as a texture.",
        paragraph: "Gatys et al.: the Gram matrix of a layer (which features occur together, wherever they are) "
            + "describes a texture without its layout. Matching those of several layers from noise makes a new sample "
            + "of the same texture. Lower layers alone reproduce small-scale patterns; adding higher ones, larger structures.",
        example: "texture(model(), image(\"starry_night\"))",
        lecture: "003 (neural texture synthesis, Gram matrices)"
    ) { call in
        let model = try call.model("net")
        let picture = try call.picture("img")
        let layers = try layerList(call, model: model)
        let steps = try call.integer("steps")
        let size = try call.integer("size")
        var options = FeatureMatching.Options(steps: steps)
        options.seed = call.session.withRandom { $0.next() }
        let made = try optimise(call, title: "texture of \(picture.title)", model: model,
                                target: FeatureMatching.Target(style: (picture.image, layers)),
                                height: size, width: size, options: options)
        return result(title: "texture of \(picture.title)", image: made,
                      panels: [(picture.image, "texture"), (made.image, "synthesized")], steps: steps,
                      note: "Gram matrices of " + layers.joined(separator: ", "))
    }

    static let style = Builtin(
        "style", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("content", .picture, doc: "the photo whose layout is kept"),
            Parameter("style", .picture, doc: "the painting whose style is taken"),
            Parameter("strength", .number, default: .number(20), range: FeatureMatching.Options.styleWeightRange,
                      doc: "weight of the style loss relative to the content loss"),
            Parameter("layers", .list, default: Value.none, doc: "style layers (none: five from early to middle; on VGG-16 conv1_1 ... conv5_1)"),
            Parameter("content_layer", .layerName, default: Value.none, doc: "the layer whose features keep the content (none: a middle one; on VGG-16 conv4_2)"),
            stepsParameter,
            Parameter("size", .integer, default: .number(256), range: sizeRange, doc: "the longer side of the result in pixels"),
        ],
        returns: "image",
        summary: "Neural style transfer: the content image redrawn with the Gram matrices of a style image.",
        paragraph: "Gatys et al.: start from the content photo and minimise content loss (features at one layer) plus "
            + "strength times style loss (Gram matrices at several layers). More strength, more paint.",
        example: "style(model(), image(\"chelsea\"), image(\"starry_night\"))",
        lecture: "003 and 004 (neural style transfer)"
    ) { call in
        let model = try call.model("net")
        let content = try call.picture("content"), painting = try call.picture("style")
        let layers = try layerList(call, model: model)
        let contentLayer: String
        if case .none = call.value("content_layer") {
            contentLayer = try middleLayer(call, model: model)
        } else {
            contentLayer = try call.layer("content_layer", of: model).name
        }
        let strength = try call.number("strength")
        let steps = try call.integer("steps")
        let size = try call.integer("size")
        let source = content.image
        let fit = Float(size) / Float(max(source.width, source.height))
        let (width, height) = (max(16, Int((Float(source.width) * fit).rounded())), max(16, Int((Float(source.height) * fit).rounded())))
        var options = FeatureMatching.Options(steps: steps, rate: 0.01, contentWeight: 1, styleWeight: Float(strength),
                                              startFromContent: true)
        options.seed = call.session.withRandom { $0.next() }
        let made = try optimise(call, title: "\(content.title) in the style of \(painting.title)", model: model,
                                target: FeatureMatching.Target(content: (source, contentLayer), style: (painting.image, layers)),
                                height: height, width: width, options: options)
        return result(title: "\(content.title) in the style of \(painting.title)", image: made,
                      panels: [(source, "content"), (painting.image, "style"), (made.image, "result")], steps: steps,
                      note: "content \(contentLayer); style " + layers.joined(separator: ", ") + "; strength \(NumberFormatting.format(strength))")
    }

    // MARK: - Shared

    static func optimise(_ call: Invocation, title: String, model: ModelValue, target: FeatureMatching.Target,
                         height: Int, width: Int, options: FeatureMatching.Options) throws -> FeatureMatchingResult {
        let progress = call.session.startProgress(title)
        let made = try FeatureMatching.run(network: model.network, target: target, height: height, width: width,
                                           options: options) { step, total, image in
            progress.report(step: step, total: total, picture: image.map { Picture(image: $0, title: title) })
        }
        progress.finish("\(title): \(options.steps) steps")
        return made
    }

    static func result(title: String, image made: FeatureMatchingResult, panels: [(Image, String)], steps: Int,
                       note: String? = nil) -> Value {
        let loss = "loss \(NumberFormatting.format(Double(made.losses.first ?? 0))) -> \(NumberFormatting.format(Double(made.losses.last ?? 0))) in \(steps) steps"
        let grid = TileGrid(title: title, tiles: panels.map { Canvas(image: $0.0) }, labels: panels.map(\.1),
                            caption: [note, loss].compactMap { $0 }.joined(separator: "; "), columns: panels.count, tileSize: 256)
        var smooth = grid
        smooth.interpolation = .bilinear
        return .engine(.picture(Picture(image: made.image, title: title, shown: smooth.render())))
    }

    /// The optimisation steps every feature-matching builtin takes.
    static let stepsParameter = Parameter("steps", .integer, default: .number(200), range: FeatureMatching.Options.stepRange,
                                          doc: "optimisation steps")

    /// The side of a made texture or styled photo: enough pixels for the deep layers, few enough for minutes.
    static let sizeRange = NumberRange.closed(32, 1_024)

    /// Gatys, Ecker & Bethge's layers on VGG ("A Neural Algorithm of Artistic Style", 2015;
    /// "Texture Synthesis Using Convolutional Neural Networks", 2015): style from the first
    /// convolution of each of the five stages, content from conv4_2.
    static let gatysStyleLayers = ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"]
    static let gatysContentLayer = "conv4_2"

    /// Whether the network has VGG's layer names, so Gatys et al.'s choices apply.
    static func isVGG(_ model: ModelValue) -> Bool {
        let names = Set(model.network.layers.map(\.name))
        return (gatysStyleLayers + [gatysContentLayer]).allSatisfy(names.contains)
    }

    /// The given layers, checked; or Gatys et al.'s on VGG; or five spread over the network's
    /// first two thirds of spatial layers.
    static func layerList(_ call: Invocation, model: ModelValue) throws -> [String] {
        let spatial = model.network.layers.filter { $0.outputShape.count == 3 }
        guard case .list(let items) = call.value("layers") else {
            if isVGG(model) { return gatysStyleLayers }
            // Pooling layers repeat the statistics of the layer before them.
            let spatial = spatial.filter { !$0.kind.lowercased().contains("pool") }
            let early = Array(spatial.prefix(max(1, (spatial.count * 2) / 3)))
            let picks = Set((0..<5).map { $0 * (early.count - 1) / 4 })
            return picks.sorted().map { early[$0].name }
        }
        guard !items.isEmpty else { throw call.error("layers", "layers must name at least one layer") }
        return try items.map { item in
            guard case .string(let name) = item, let layer = spatial.first(where: { $0.name == name }) else {
                throw call.error("layers", .value, "'\(ValueText.printed(item))' is not a spatial layer of \(model.network.name)",
                                 hint: "layers: " + spatial.map(\.name).joined(separator: ", "))
            }
            return layer.name
        }
    }

    /// The spatial layer halfway through the network (conv4_2 on VGG, as Gatys et al.): deep
    /// enough for layout, shallow enough for detail.
    static func middleLayer(_ call: Invocation, model: ModelValue) throws -> String {
        if isVGG(model) { return gatysContentLayer }
        let spatial = model.network.layers.filter { $0.outputShape.count == 3 }
        guard !spatial.isEmpty else { throw call.error("content_layer", "\(model.network.name) has no spatial layers") }
        return spatial[spatial.count / 2].name
    }
}
