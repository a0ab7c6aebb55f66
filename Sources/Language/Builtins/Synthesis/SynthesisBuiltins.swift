import Engine

/// Images made by the network rather than read through it: class visualization and
/// activation maximization by gradient ascent (lectures 000, 003, 004).
enum SynthesisBuiltins {
    static let family = "Synthesis"

    static var all: [Builtin] { [visualize, dream] + AttackBuiltins.all + DiversityBuiltins.all }

    static let visualize = Builtin(
        "visualize", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("class", .className, default: Value.none, doc: "the class to maximise (its logit, or its probability with objective: \"probability\")"),
            Parameter("layer", .layerName, default: Value.none, doc: "or: a layer; alone, its L2 (DeepDream's objective); with channel, that channel's mean; with neuron, one value"),
            Parameter("channel", .integer, default: Value.none, range: .atLeast(0), doc: "the channel of that layer whose mean is maximised"),
            Parameter("neuron", .integers, default: Value.none, doc: "[c, y, x]: one value n[c, y, x] of that layer ([c] for a vector layer)"),
            Parameter("objective", .choice(["score", "probability"]), default: .string("score"),
                      doc: "for a class: score (the logit, before the softmax) or probability (after it)"),
            Parameter("start", .either(.choice(["zeros", "noise"]), .picture), default: .string("noise"),
                      doc: "zeros (the mean colour), noise (mean colour plus a little noise) or an image"),
            Parameter("regularizer", .choice(ImageRegularizer.all.map(\.name)), default: .string("l2++"),
                      doc: "none, l2 (Simonyan et al.), l2++ (Yosinski et al.: decay, blur, clipping) or fourier (Olah et al.: 1/f spectrum, decorrelated colour, random transforms, Adam)"),
            Parameter("preset", .integer, default: Value.none, range: .closed(1, 4),
                      doc: "with l2++: one of Yosinski et al. 2015's four published settings (Table 1)"),
            Parameter("steps", .integer, default: Value.none, range: ClassVisualization.Options.stepRange,
                      doc: "gradient ascent steps (200; 512 with fourier)"),
            Parameter("rate", .number, default: .number(0.05), range: ClassVisualization.Options.rateRange,
                      doc: "step size, in pixel units per step"),
        ],
        returns: "image",
        summary: "Feature visualization: an image made by gradient ascent on a class, a neuron, a channel or a layer.",
        paragraph: "The design choices of lecture 000 section 1.12. What to maximise: class: (its logit, or with "
            + "objective: \"probability\" its softmax probability, which rises mostly by lowering the other classes), "
            + "neuron: [c, y, x] of a layer, channel: (its mean), or layer: alone (its L2, DeepDream's objective). "
            + "Where to start: zeros, noise or an image. How to regularize: none gives high-frequency patterns, l2 keeps "
            + "the image small, l2++ also blurs and clips small pixels so that object parts appear (preset: 1 to 4 are "
            + "Yosinski et al. 2015's Table 1: 1 decay 0, blur 0.5 every 4, norm percentile 50; 2 decay 0.3, norm "
            + "percentile 20; 3 decay 0.0001, blur 1.0 every 4; 4 decay 0, blur 0.5 every 4, contribution percentile 90), "
            + "and fourier optimises a 1/f-scaled spectrum with decorrelated colour through a sigmoid, under random pad, "
            + "jitter, scale and rotation, with Adam (rate is then Adam's learning rate on the spectrum). The picture forms in place with the step and the objective under it; "
            + "the result shows the objective's curve under the image. seed() makes it repeatable; an interrupt keeps "
            + "what was made so far. The result is an image (classify it); v.objective, v.logit and v.others are the "
            + "objective, the class's logit and the mean of the other logits at each step, as tensors; save writes the "
            + "picture as shown (.png) or the pixels (.npy, HWC, 0 to 1).",
        example: "visualize(model(), class: \"flamingo\", regularizer: \"fourier\")",
        lecture: "000 (1.12-1.14), 002 (regularizers), 003 (gradient ascent) and 004 (class score optimization)"
    ) { call in
        let model = try call.model("net")
        let objective = try visualizationObjective(call, model: model)
        let regularizer = try visualizationRegularizer(call)
        let start: ClassVisualization.Start
        switch call.value("start") {
        case .string(let word):
            switch word.lowercased() {
            case "zeros": start = .zeros
            case "noise": start = .noise
            default: throw call.error("start", .argument, "start is \"zeros\", \"noise\" or an image, not \"\(word)\"")
            }
        default: start = .image(try call.picture("start").image)
        }
        let steps = call.isGiven("steps") ? try call.integer("steps") : (regularizer.parameterization == .fourier ? 512 : 200)
        let rate = try call.number("rate")
        var options = ClassVisualization.Options(steps: steps, rate: Float(rate), regularizer: regularizer)
        options.start = start
        options.seed = call.session.withRandom { $0.next() }
        let description = objective.label(model.network)
        let progress = call.session.startProgress("visualize \(description)")
        let stop = StopRequest()
        let controls = RunControls.stop(session: call.session, request: stop)
        defer { controls.end() }
        let result = try stop.honoured {
            try ClassVisualization.run(network: model.network, objective: objective, options: options) { step, total, image, value in
                progress.report(step: step, total: total, picture: image.map { Picture(image: $0, title: description) }, objective: Double(value))
            }
        }
        let stopped = result.interrupted ? (stop.isSet ? " (stopped)" : " (interrupted)") : ""
        let startNote: String
        if case .noise = start { startNote = "" } else { startNote = ", start \(start.label)" }
        progress.finish("visualize \(description): \(result.steps) steps\(stopped), objective \(NumberFormatting.format(Double(result.startScore))) -> \(NumberFormatting.format(Double(result.finalScore)))")
        let picture = Picture(image: result.image, title: "visualization of \(description) (\(regularizer.name)\(startNote))",
                              shown: result.render(endedEarly: stop.isSet ? "stopped" : "interrupted"))
        picture.curves = ["objective": result.scores, "logit": result.targetLogits, "others": result.otherLogits]
        return .engine(.picture(picture))
    }

    /// The objective from class / layer / channel / neuron / objective, with errors naming the argument.
    private static func visualizationObjective(_ call: Invocation, model: ModelValue) throws -> SynthesisObjective {
        let probability = try call.string("objective").lowercased() == "probability"
        if case .none = call.value("layer") {
            for name in ["channel", "neuron"] where call.isGiven(name) {
                throw call.error(name, .argument, "\(name) needs a layer", hint: "add layer: \"fire9\"")
            }
            guard let classIndex = try call.classIndex("class", of: model) else {
                throw call.error("class", .argument, "visualize needs a class, or a layer (with a channel or a neuron)",
                                 hint: "visualize(net, class: \"tabby\")")
            }
            return probability ? .classProbability(classIndex) : .classScore(classIndex)
        }
        if call.isGiven("class") { throw call.error("class", .argument, "give either class or layer, not both") }
        if call.isGiven("objective") {
            throw call.error("objective", .argument, "objective chooses between a class's score and probability; a layer has neither")
        }
        let layer = try call.layer("layer", of: model)
        let shape = layer.outputShape
        if call.isGiven("channel"), call.isGiven("neuron") {
            throw call.error("neuron", .argument, "give either channel or neuron, not both")
        }
        if call.isGiven("channel") {
            let channel = try call.integer("channel")
            let channels = shape.first ?? 0
            guard shape.count == 3, channel < channels else {
                throw call.error("channel", shape.count == 3 ? "\(layer.name) has channels 0 to \(channels - 1), not \(channel)"
                                                           : "\(layer.name) has shape \(shape); a channel's mean needs a [C, H, W] layer")
            }
            return .channel(layer: layer.name, channel: channel)
        }
        if call.isGiven("neuron") {
            let index = try call.integers("neuron", limit: 3)
            guard index.count == shape.count else {
                let form = shape.count == 3 ? "[c, y, x]" : "[c]"
                throw call.error("neuron", "\(layer.name) has shape \(shape): a neuron is \(form), not \(index.count) numbers")
            }
            for (axis, (value, size)) in zip(index, shape).enumerated() where value < 0 || value >= size {
                let name = ["c", "y", "x"][axis]
                throw call.error("neuron", "\(name) = \(value) is outside 0 to \(size - 1) of \(layer.name) \(shape)")
            }
            return .neuron(layer: layer.name, channel: index[0], y: index.count == 3 ? index[1] : 0, x: index.count == 3 ? index[2] : 0)
        }
        return .layerNorm(layer: layer.name)
    }

    /// The regularizer, or one of Yosinski et al.'s presets when `preset` is given with l2++.
    private static func visualizationRegularizer(_ call: Invocation) throws -> ImageRegularizer {
        let name = try call.string("regularizer")
        let regularizer = ImageRegularizer.named(name) ?? .l2PlusPlus
        guard call.isGiven("preset") else { return regularizer }
        guard regularizer == .l2PlusPlus else {
            throw call.error("preset", .argument, "preset chooses one of Yosinski et al.'s l2++ settings; it goes with regularizer: \"l2++\", not \"\(name)\"")
        }
        let preset = try call.integer("preset")
        guard let chosen = ImageRegularizer.yosinski(preset: preset) else {
            throw call.error("preset", "preset is 1, 2, 3 or 4, not \(preset)")
        }
        return chosen
    }

    static let dream = Builtin(
        "dream", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "the image to dream on (any size; the longer side is fitted to size)"),
            Parameter("layer", .layerName, doc: "the layer whose features are amplified"),
            Parameter("steps", .integer, default: .number(10), range: DeepDream.Options.stepsPerOctaveRange,
                      doc: "gradient ascent steps per octave"),
            Parameter("octaves", .integer, default: .number(3), range: DeepDream.Options.octaveRange,
                      doc: "scales, each 1.4 times smaller than the next"),
            Parameter("rate", .number, default: .number(0.004), range: DeepDream.Options.rateRange,
                      doc: "step size, in pixel units per step"),
            Parameter("size", .integer, default: .number(320), range: .closed(32, 2_048),
                      doc: "the longer side of the dream, in pixels"),
            Parameter("zoom", .number, default: Value.none, range: DreamZoom.zoomRange,
                      doc: "iterate and zoom: after each dream, zoom into the centre by this many percent and dream again"),
            Parameter("frames", .integer, default: Value.none, range: DreamZoom.frameRange,
                      doc: "with zoom: how many dreamed frames (10)"),
        ],
        returns: "image",
        summary: "DeepDream: amplify whatever a layer already sees in an image.",
        paragraph: "The gradient at the layer is set equal to its activation (the gradient of 1/2 ||a||^2), so each "
            + "step strengthens every feature the layer detects: early layers paint strokes and textures, late ones "
            + "eyes and animal parts. Coarse scales first, with jitter, as in Google's code. The dream forms in place; "
            + "seed() makes it repeatable. The result is an image: dream on it again, or classify it.",
        example: "dream(model(), image(\"horses\"), \"fire5\")",
        lecture: "000 (1.23-1.25), 003 and 004 (DeepDream)"
    ) { call in
        let model = try call.model("net")
        let picture = try call.picture("img")
        let layer = try call.layer("layer", of: model)
        let steps = try call.integer("steps"), octaves = try call.integer("octaves"), size = try call.integer("size")
        let rate = try call.number("rate")
        let source = picture.image
        let fit = Float(size) / Float(max(source.width, source.height))
        let image = try source.resized(width: max(1, Int((Float(source.width) * fit).rounded())),
                                       height: max(1, Int((Float(source.height) * fit).rounded())))
        var options = DeepDream.Options(stepsPerOctave: steps, octaves: octaves, rate: Float(rate))
        options.seed = call.session.withRandom { $0.next() }
        if call.isGiven("frames"), !call.isGiven("zoom") {
            throw call.error("frames", .argument, "frames counts the zoomed dreams; it goes with zoom:", hint: "zoom: 5, frames: 10")
        }
        if call.isGiven("zoom") {
            return try dreamZoom(call, model: model, image: image, layer: layer.name, options: options, title: picture.title)
        }
        let progress = call.session.startProgress("DeepDream at \(layer.name)")
        let stop = StopRequest()
        let controls = RunControls.stop(session: call.session, request: stop)
        defer { controls.end() }
        let result = try stop.honoured {
            try DeepDream.run(network: model.network, image: image, layer: layer.name, options: options) { step, total, image in
                progress.report(step: step, total: total, picture: image.map { Picture(image: $0, title: "dream at \(layer.name)") })
            }
        }
        let stopped = result.interrupted ? (stop.isSet ? " (stopped)" : " (interrupted)") : ""
        progress.finish("DeepDream at \(layer.name): \(result.steps) steps over \(result.octaves) octaves\(stopped)")
        return .engine(.picture(Picture(image: result.image, title: "DeepDream at \(layer.name) on \(picture.title)",
                                        shown: result.render())))
    }

    /// dream with zoom: the iterate-and-zoom sequence as a strip of frames, saved as an animated PNG.
    private static func dreamZoom(_ call: Invocation, model: ModelValue, image: Image, layer: String,
                                  options: DeepDream.Options, title: String) throws -> Value {
        let zoom = try call.number("zoom")
        let frames = call.isGiven("frames") ? try call.integer("frames") : 10
        let progress = call.session.startProgress("DeepDream zoom at \(layer)")
        let stop = StopRequest()
        let controls = RunControls.stop(session: call.session, request: stop)
        defer { controls.end() }
        let result = try stop.honoured {
            try DreamZoom.run(network: model.network, image: image, layer: layer, zoom: Float(zoom), frames: frames,
                              options: options) { frame, frames, step, total, picture in
                progress.report(step: (frame - 1) * total + step, total: frames * total,
                                picture: picture.map { Picture(image: $0, title: "frame \(frame)/\(frames)") }, note: "frame \(frame)/\(frames)")
            }
        }
        let stopped = result.interrupted ? (stop.isSet ? " (stopped)" : " (interrupted)") : ""
        progress.finish("DeepDream zoom at \(layer): \(result.frames.count) frames, \(NumberFormatting.format(zoom))% each\(stopped)")
        guard let last = result.frames.last else { throw LensError(.interrupted, "dream: stopped before the first frame", at: call.callSpan) }
        let caption = "\(result.frames.count) frames, zoom \(NumberFormatting.format(zoom))% between frames\(stopped); "
            + "save as .png writes the animation"
        // Five frames a row at 128 pixels keeps ten frames inside a notebook column.
        var grid = TileGrid(title: "DeepDream zoom at \(layer) on \(title)", tiles: result.frames.map { Canvas(image: $0) },
                            labels: result.frames.indices.map { "frame \($0 + 1)" }, caption: caption,
                            columns: min(5, result.frames.count), tileSize: 128)
        grid.interpolation = .bilinear
        let value = Picture(image: last, title: "DeepDream zoom at \(layer) on \(title), \(result.frames.count) frames",
                            numbers: ([result.frames.count, last.height, last.width, last.channels], result.frames.flatMap(\.pixels)),
                            shown: grid.render())
        value.frames = result.frames
        return .engine(.picture(value))
    }
}
