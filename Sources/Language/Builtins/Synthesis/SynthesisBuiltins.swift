import Engine

/// Images made by the network rather than read through it: class visualization and
/// activation maximization by gradient ascent (lectures 000, 003, 004).
enum SynthesisBuiltins {
    static let family = "Synthesis"

    static var all: [Builtin] { [visualize, dream, adversarial] }

    static let visualize = Builtin(
        "visualize", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("class", .className, default: Value.none, doc: "the class score to maximise"),
            Parameter("layer", .layerName, default: Value.none, doc: "or: maximise the mean of a channel of this layer"),
            Parameter("channel", .integer, default: Value.none, range: .atLeast(0), doc: "the channel of that layer"),
            Parameter("regularizer", .choice(ImageRegularizer.all.map(\.name)), default: .string("l2++"),
                      doc: "none, l2 (Simonyan et al.) or l2++ (Yosinski et al.: decay, blur, clipping)"),
            Parameter("steps", .integer, default: .number(200), range: ClassVisualization.Options.stepRange,
                      doc: "gradient ascent steps"),
            Parameter("rate", .number, default: .number(0.05), range: ClassVisualization.Options.rateRange,
                      doc: "step size, in pixel units per step"),
        ],
        returns: "image",
        summary: "Class visualization: an image made by gradient ascent on a class score or a channel.",
        paragraph: "Starting from the mean colour, each step moves the pixels along the gradient of the class score "
            + "(before the softmax) or of a channel's mean activation, then applies the regularizer: none gives "
            + "high-frequency patterns, l2 keeps the image small, l2++ also blurs and clips small pixels so that "
            + "object parts appear. The picture forms in place while it runs; seed() makes it repeatable. "
            + "The result is an image like any other (classify it, run saliency on it); save writes the picture as shown (.png) or the pixels (.npy, HWC, 0 to 1).",
        example: "visualize(model(), class: \"goldfish\", regularizer: \"l2++\")",
        lecture: "000 (1.12-1.14), 003 (gradient ascent) and 004 (class score optimization)"
    ) { call in
        let model = try call.model("net")
        let objective: SynthesisObjective
        if case .none = call.value("layer") {
            guard let classIndex = try call.classIndex("class", of: model) else {
                throw call.error("class", .argument, "visualize needs a class, or a layer and a channel",
                                 hint: "visualize(net, class: \"tabby\")")
            }
            objective = .classScore(classIndex)
        } else {
            let layer = try call.layer("layer", of: model)
            guard call.isGiven("channel") else {
                throw call.error("channel", .argument, "visualize from a layer needs a channel", hint: "add channel: 0")
            }
            if call.isGiven("class") { throw call.error("class", .argument, "give either class or layer and channel, not both") }
            let channel = try call.integer("channel")
            let channels = layer.outputShape.first ?? 0
            guard layer.outputShape.count == 3, channel < channels else {
                throw call.error("channel", "\(layer.name) has channels 0 to \(channels - 1), not \(channel)")
            }
            objective = .channel(layer: layer.name, channel: channel)
        }
        let steps = try call.integer("steps")
        let rate = try call.number("rate")
        let regularizer = ImageRegularizer.named(try call.string("regularizer")) ?? .l2PlusPlus
        var options = ClassVisualization.Options(steps: steps, rate: Float(rate), regularizer: regularizer)
        options.seed = call.session.withRandom { $0.next() }
        let description = objective.label(model.network)
        let progress = call.session.startProgress("visualize \(description)")
        let result = try ClassVisualization.run(network: model.network, objective: objective, options: options) { step, total, image in
            progress.report(step: step, total: total, picture: image.map { Picture(image: $0, title: description) })
        }
        progress.finish("visualize \(description): \(steps) steps, score \(NumberFormatting.format(Double(result.startScore))) -> \(NumberFormatting.format(Double(result.finalScore)))")
        return .engine(.picture(Picture(image: result.image, title: "visualization of \(description) (\(regularizer.name))",
                                        shown: result.render().image)))
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
        let progress = call.session.startProgress("DeepDream at \(layer.name)")
        let result = try DeepDream.run(network: model.network, image: image, layer: layer.name, options: options) { step, total, image in
            progress.report(step: step, total: total, picture: image.map { Picture(image: $0, title: "dream at \(layer.name)") })
        }
        progress.finish("DeepDream at \(layer.name): \(result.steps) steps over \(result.octaves) octaves")
        return .engine(.picture(Picture(image: result.image, title: "DeepDream at \(layer.name) on \(picture.title)",
                                        shown: result.render().image)))
    }

    static let adversarial = Builtin(
        "adversarial", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "the image to change"),
            Parameter("class", .className, doc: "the class the network should be fooled into"),
            Parameter("eps", .number, default: .number(8), range: AdversarialExample.Options.epsilonRange.scaled(by: 255),
                      doc: "the largest change of any pixel, in grey levels out of 255"),
            Parameter("steps", .integer, default: .number(100), range: AdversarialExample.Options.stepRange,
                      doc: "the most steps of one grey level each"),
        ],
        returns: "image",
        summary: "An adversarial example: the image changed imperceptibly until the network sees the class.",
        paragraph: "Each step moves every pixel one grey level along the sign of the gradient of the target class's "
            + "log-probability, never more than eps from the original, and stops as soon as the target is the top class. "
            + "The picture shows the original, the difference magnified, and the result, each with the network's answer. "
            + "The result is an image: classify it.",
        example: "adversarial(model(), image(\"chelsea\"), class: \"goldfish\")",
        lecture: "003 (adversarial examples)"
    ) { call in
        let model = try call.model("net")
        let picture = try call.picture("img")
        guard let target = try call.classIndex("class", of: model) else {
            throw call.error("class", .argument, "adversarial needs the class to fool the network into", hint: "class: \"goldfish\"")
        }
        let eps = try call.number("eps"), steps = try call.integer("steps")
        let progress = call.session.startProgress("adversarial")
        let result = try AdversarialExample.run(network: model.network, image: picture.image, target: target,
                                                options: AdversarialExample.Options(epsilon: Float(eps) / 255, maxSteps: steps),
                                                progress: { progress.report(step: $0, total: $1) })
        let outcome = result.fooled ? "fooled into" : "not fooled into"
        return .engine(.picture(Picture(image: result.adversarial, title: "adversarial \(picture.title), \(outcome) class \(target) in \(result.steps) steps",
                                        shown: result.render().image)))
    }
}
