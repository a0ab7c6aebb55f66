import Engine

/// Gradient techniques of issue 4: saliency, guided backpropagation and the deconvnet rule.
///
/// Each returns a picture that keeps its raw numbers: `save(x, "f.npy")` writes the
/// saliency map (or the raw input gradient for guided/deconv) before tone mapping.
enum GradientBuiltins {
    static let family = "Gradients"

    static var all: [Builtin] { [saliency, gradient, guided, deconv, segment] }

    static let saliency = Builtin(
        "saliency", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "an image from image()"),
            Parameter("class", .className, default: Value.none, doc: "the class to explain; none takes the top class"),
            Parameter("smooth", .integer, default: .number(0), range: InputGradient.Options.smoothSamplesRange,
                      doc: "SmoothGrad: noisy copies to average (0 for none)"),
            ToneParameter.parameter(default: .percentile, doc: "tone mapping of the map"),
            Parameter("objective", .choice(["score", "probability"]), default: .string("score"),
                      doc: "differentiate the class score (before the softmax) or its probability (after it)"),
        ],
        returns: "image",
        summary: "Saliency map: |gradient of the class score| with the max over RGB.",
        paragraph: "The class score is taken before the softmax. Bright pixels are those whose change would move "
            + "the score most. With smooth: n, the maps of n noisy copies are averaged (SmoothGrad), which "
            + "removes much of the speckle. With objective: \"probability\" the softmax probability is "
            + "differentiated instead, p_c (grad z_c - sum_j p_j grad z_j), which is tiny wherever p_c is "
            + "(lecture 000, 1.3's tiny-range warning). The numbers saved as .npy are the map before tone mapping.",
        example: "saliency(model(), image(\"chelsea\"), class: \"tabby\")",
        lecture: "000 (1.11) and 003 (image-specific class saliency)"
    ) { call in
        let model = try call.model("net")
        let picture = try call.picture("img")
        let classIndex = try call.classIndex("class", of: model)
        let samples = try call.integer("smooth")
        var options = InputGradient.Options(rule: .standard, smoothSamples: samples)
        options.seed = call.session.withRandom { $0.next() }
        let progress = samples > 1 ? call.session.startProgress("SmoothGrad") : nil
        let probability = try call.string("objective").lowercased() == "probability"
        let target: GradientTarget = probability ? .classProbability(classIndex) : .classScore(classIndex)
        let result = try InputGradient.compute(network: model.network, image: picture.image, target: target,
                                               options: options, progress: progress.map { display in { display.report(step: $0, total: $1) } })
        let tone = try ToneParameter.read(call) ?? .percentile
        return .engine(.picture(Picture(canvas: result.renderSaliency(toneMap: tone),
                                        title: "saliency of \(result.targetDescription) on \(picture.title)",
                                        numbers: ([result.saliency.height, result.saliency.width], result.saliency.values),
                                        region: try InputRegion.measure(network: model.network, width: picture.image.width,
                                                                        height: picture.image.height))))
    }

    static let gradient = Builtin(
        "gradient", family: family, parameters: unitParameters, returns: "image",
        summary: "The raw gradient of a class score (or one unit) with respect to the input pixels.",
        paragraph: "Signed, per colour channel, shown around zero. saliency() is its absolute value with the max "
            + "over RGB; guided() and deconv() change only how ReLUs pass it back. Saved numbers: the gradient (HWC).",
        example: "gradient(model(), image(\"chelsea\"), class: \"tabby\")",
        lecture: "000 (1.11, gradients of the class score)"
    ) { call in
        try ruleGradient(call, rule: .standard, name: "gradient")
    }

    static let guided = Builtin(
        "guided", family: family, parameters: unitParameters, returns: "image",
        summary: "Guided backpropagation from a class score or from one unit of a layer.",
        paragraph: "Back through each ReLU only where both the forward input and the incoming gradient are positive "
            + "(lecture 004), which keeps the fine structure (eyes, nose, whiskers). Give class for a class score, "
            + "or layer and channel for the strongest unit of that channel. Saved numbers: the raw input gradient (HWC).",
        example: "guided(model(), image(\"chelsea\"), class: \"tabby\")\nguided(model(), image(\"chelsea\"), layer: \"fire9\", channel: 12)",
        lecture: "004 (guided backpropagation)"
    ) { call in
        try ruleGradient(call, rule: .guided, name: "guided backprop")
    }

    static let deconv = Builtin(
        "deconv", family: family, parameters: unitParameters, returns: "image",
        summary: "The deconvnet rule: like guided backpropagation but ignoring the forward input's sign.",
        paragraph: "Back through each ReLU wherever the incoming gradient is positive (Zeiler and Fergus), "
            + "whatever the forward input was. Compare with guided() to see what the forward mask adds.",
        example: "deconv(model(), image(\"chelsea\"), layer: \"fire9\", channel: 12)",
        lecture: "004 (deconvnet)"
    ) { call in
        try ruleGradient(call, rule: .deconvnet, name: "deconvnet")
    }

    static let segment = Builtin(
        "segment", family: family,
        parameters: [
            Parameter("img", .picture, doc: "the image to cut"),
            Parameter("map", .picture, doc: "a saliency map of it (from saliency())"),
            Parameter("box", .either(.bool, .integers), default: .bool(false),
                      doc: "GrabCut's rectangle: true for the box around the salient region, or [x, y, width, height] in image pixels"),
            Parameter("blur", .number, default: Value.none, range: .atLeast(0),
                      doc: "Gaussian smoothing of the map before seeding, in image pixels (none: 1.5% of the shorter side; 0: none)"),
        ],
        returns: "image",
        summary: "A foreground mask from a saliency map by graph cut (GrabCut-like).",
        paragraph: "The map is smoothed, then its top 5% seed the foreground, its bottom 30% and the border the background "
            + "(Simonyan et al. 2014); colour models of each and a minimum cut on the pixel grid give the mask. With box, "
            + "everything outside a rectangle is background and the first foreground colour model is the box's (GrabCut, "
            + "Rother et al. 2004); box: true puts it around the salient region. A map from saliency() or cam() "
            + "covers only the centre crop the network saw, so it is laid on that part of the photo, and the rest seeds "
            + "nothing. Saved numbers: the mask (1 = object).",
        example: "cat = image(\"chelsea\")\nsegment(cat, saliency(model(), cat, smooth: 16), box: true)",
        lecture: "003 (weakly supervised segmentation)"
    ) { call in
        let picture = try call.picture("img")
        let map = try call.picture("map")
        guard let numbers = map.numbers, numbers.shape.count == 2,
              let saliency = try? ScalarMap(height: numbers.shape[0], width: numbers.shape[1], values: numbers.values) else {
            throw call.error("map", .type, "map must be a 2-D map such as saliency() gives, got \(map.title)")
        }
        // A map of a network's input covers only its centre crop of the photo: it is laid there.
        let placed: ScalarMap
        do {
            placed = try GraphCutSegmentation.placed(saliency, region: map.region, width: picture.image.width,
                                                     height: picture.image.height)
        } catch EngineError.invalid(let reason) {
            throw call.error("map", reason, hint: "use a map from saliency() or cam() of this image, which knows the network's crop")
        }
        var options = GraphCutSegmentation.Options()
        if case .bool(let wanted) = call.value("box") {
            options.box = wanted ? .fromSaliency(margin: 0.1) : nil
        } else {
            let box = try call.integers("box", limit: 4)
            guard box.count == 4, box[2] > 0, box[3] > 0 else {
                throw call.error("box", "box must be [x, y, width, height] with a positive width and height, got \(box)")
            }
            options.box = .rectangle(x: box[0], y: box[1], width: box[2], height: box[3])
        }
        if !call.value("blur").isNone { options.blur = Float(try call.number("blur")) }
        let progress = call.session.startProgress("graph cut")
        let image = picture.image
        let result: SegmentationResult
        do {
            result = try GraphCutSegmentation.segment(pixels: image.pixels, height: image.height, width: image.width,
                                                      channels: image.channels, saliency: placed, options: options,
                                                      progress: { progress.report(step: $0, total: $1) })
        } catch EngineError.invalid(let reason) where reason.contains("box") {
            throw call.error("box", reason)
        }
        return .engine(.picture(Picture(canvas: result.render(image: picture.image), title: "segmentation of \(picture.title)",
                                        numbers: ([result.mask.height, result.mask.width], result.mask.values))))
    }

    static var unitParameters: [Parameter] {
        [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "an image from image()"),
            Parameter("class", .className, default: Value.none, doc: "the class score to start from (none: top class)"),
            Parameter("layer", .layerName, default: Value.none, doc: "start from a unit of this layer instead"),
            Parameter("channel", .integer, default: Value.none, range: .atLeast(0),
                      doc: "the channel of that layer (its strongest unit)"),
            ToneParameter.parameter(default: nil, doc: "tone mapping of the gradient; none shows zero as grey, signs as brighter or darker"),
        ]
    }

    static func ruleGradient(_ call: Invocation, rule: ReLURule, name: String) throws -> Value {
        let model = try call.model("net")
        let picture = try call.picture("img")
        let target: GradientTarget
        if case .none = call.value("layer") {
            target = .classScore(try call.classIndex("class", of: model))
        } else {
            let layer = try call.layer("layer", of: model)
            guard call.isGiven("channel") else {
                throw call.error("channel", .argument, "\(call.builtin.name) from a layer needs a channel", hint: "add channel: 0")
            }
            if call.isGiven("class") {
                throw call.error("class", .argument, "give either class or layer and channel, not both")
            }
            let channel = try call.integer("channel")
            let channels = layer.outputShape.first ?? 0
            guard channel < channels else {
                throw call.error("channel", "\(layer.name) has channels 0 to \(channels - 1), not \(channel)")
            }
            target = .unit(layer: layer.name, channel: channel)
        }
        let result = try InputGradient.compute(network: model.network, image: picture.image, target: target,
                                               options: InputGradient.Options(rule: rule))
        return .engine(.picture(Picture(canvas: result.renderGradient(toneMap: try ToneParameter.read(call)),
                                        title: "\(name) of \(result.targetDescription) on \(picture.title)",
                                        numbers: ([result.image.height, result.image.width, result.image.channels], result.gradient))))
    }
}
