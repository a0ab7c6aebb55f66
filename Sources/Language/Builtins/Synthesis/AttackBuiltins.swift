import Engine

/// Images made to fool a network: adversarial examples (lecture 003), fooling images (lecture 004)
/// and adversarial patches (lecture 002).
enum AttackBuiltins {
    static let family = "Synthesis"

    static var all: [Builtin] { [adversarial, fooling, patch] }

    static let adversarial = Builtin(
        "adversarial", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("img", .picture, doc: "the image to change"),
            Parameter("class", .className, doc: "the class the network should be fooled into"),
            Parameter("method", .choice(AdversarialExample.Method.allCases.map(\.rawValue)), default: .string("iterative"),
                      doc: "iterative (the lecture's recipe: steps until fooled), fgsm (one step of epsilon) or pgd (steps projected into the epsilon ball)"),
            Parameter("epsilon", .number, default: .number(8), range: AdversarialExample.Options.epsilonRange.scaled(by: 255),
                      doc: "the largest change of any pixel, in grey levels out of 255 of the displayed image"),
            Parameter("rate", .number, default: .number(1), range: AdversarialExample.Options.epsilonRange.scaled(by: 255),
                      doc: "the change per step of iterative and pgd, in grey levels out of 255"),
            Parameter("steps", .integer, default: .number(100), range: AdversarialExample.Options.stepRange,
                      doc: "the most steps (pgd takes them all unless confidence is given)"),
            Parameter("confidence", .number, default: Value.none, range: AdversarialExample.Options.confidenceRange,
                      doc: "stop once p(class) reaches this (none: once the class is on top)"),
            Parameter("random_start", .bool, default: .bool(false), doc: "pgd: start from a random point within epsilon of the image"),
        ],
        returns: "image",
        summary: "An adversarial example: the image changed imperceptibly until the network sees the class.",
        paragraph: "Lecture 003's recipe: start from an image, pick a class, change the image by gradient ascent on "
            + "the class (its log-probability), stop when the network is fooled. Every step moves each pixel by rate along "
            + "the sign of the gradient and keeps it within epsilon grey levels of the original (the L-infinity ball). "
            + "method: \"fgsm\" is Goodfellow et al. 2015's single step of epsilon; \"pgd\" is Madry et al. 2018's projected "
            + "gradient descent (every step, optionally from a random start); \"iterative\" stops at the first step at which "
            + "the class is on top, or p(class) >= confidence. The picture shows the original, the difference magnified and "
            + "the result, each with the network's answer. The result is an image: classify it; r.linf is the largest "
            + "change in grey levels, r.probability the final p(class), r.steps, r.fooled, r.probabilities the curve.",
        example: "r = adversarial(model(), image(\"chelsea\"), class: \"goldfish\", confidence: 0.99)\nr.linf",
        lecture: "003 (adversarial examples)"
    ) { call in
        let model = try call.model("net")
        let picture = try call.picture("img")
        guard let target = try call.classIndex("class", of: model) else {
            throw call.error("class", .argument, "adversarial needs the class to fool the network into", hint: "class: \"goldfish\"")
        }
        let method = AdversarialExample.Method(rawValue: try call.string("method").lowercased()) ?? .iterative
        if call.isGiven("random_start"), method != .pgd {
            throw call.error("random_start", .argument, "random_start goes with method: \"pgd\"")
        }
        var options = AdversarialExample.Options(method: method, epsilon: Float(try call.number("epsilon")) / 255,
                                                 stepSize: Float(try call.number("rate")) / 255, maxSteps: try call.integer("steps"),
                                                 randomStart: try call.bool("random_start"))
        if call.isGiven("confidence") { options.confidence = Float(try call.number("confidence")) }
        options.seed = call.session.withRandom { $0.next() }
        let progress = call.session.startProgress("adversarial (\(method.rawValue))")
        let result = try AdversarialExample.run(network: model.network, image: picture.image, target: target, options: options,
                                                progress: { step, total, _ in progress.report(step: step, total: total) })
        let outcome = result.fooled ? "fooled into" : "not fooled into"
        let shown = Picture(image: result.adversarial, title: "adversarial \(picture.title) (\(method.rawValue)), \(outcome) class \(target) in \(result.steps) steps",
                            shown: result.render())
        shown.facts = ["linf": Double(result.linf), "probability": Double(result.after.targetProbability),
                       "steps": Double(result.steps), "fooled": result.fooled ? 1 : 0]
        shown.curves = ["probabilities": result.probabilities]
        return .engine(.picture(shown))
    }

    static let fooling = Builtin(
        "fooling", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("class", .className, doc: "the class the unrecognizable image should be classified as"),
            Parameter("start", .either(.choice(["noise", "grey"]), .picture), default: .string("noise"),
                      doc: "noise (uniform random pixels, as Nguyen et al.), grey, or an image"),
            Parameter("confidence", .number, default: .number(0.99), range: AdversarialExample.Options.confidenceRange,
                      doc: "stop once p(class) reaches this"),
            Parameter("steps", .integer, default: .number(200), range: FoolingImage.Options.stepRange, doc: "the most steps"),
            Parameter("rate", .number, default: .number(2), range: FoolingImage.Options.rateRange.scaled(by: 255),
                      doc: "the change of every pixel per step, in grey levels out of 255"),
        ],
        returns: "image",
        summary: "A fooling image: an unrecognizable image the network classifies as the class with p >= 0.99.",
        paragraph: "Nguyen, Yosinski and Clune 2015's fooling images by gradient ascent (lecture 004): every pixel is "
            + "its own parameter (their direct encoding), starting from uniform noise, and each step moves every pixel by "
            + "rate along the sign of the gradient of log p(class), with no prior to make it look like anything. It stops "
            + "once p(class) reaches confidence. The picture forms in place with p(class); seed() makes it repeatable and "
            + "an interrupt keeps what was made. The result is an image: classify it; r.probability is the final "
            + "p(class), r.steps the steps, r.objective the curve of p(class).",
        example: "f = fooling(model(), class: \"king penguin\")\nclassify(model(), f)",
        lecture: "004 (fooling images)"
    ) { call in
        let model = try call.model("net")
        guard let target = try call.classIndex("class", of: model) else {
            throw call.error("class", .argument, "fooling needs the class the image should be taken for", hint: "class: \"king penguin\"")
        }
        var options = FoolingImage.Options(steps: try call.integer("steps"), rate: Float(try call.number("rate")) / 255,
                                           confidence: Float(try call.number("confidence")))
        switch call.value("start") {
        case .string(let word):
            switch word.lowercased() {
            case "noise": options.start = .noise
            case "grey", "gray": options.start = .grey
            default: throw call.error("start", .argument, "start is \"noise\", \"grey\" or an image, not \"\(word)\"")
            }
        default: options.start = .image(try call.picture("start").image)
        }
        options.seed = call.session.withRandom { $0.next() }
        let name = model.network.classNames.indices.contains(target) ? model.network.classNames[target] : "\(target)"
        let progress = call.session.startProgress("fooling image for \(name)")
        let result = try FoolingImage.run(network: model.network, target: target, options: options) { step, total, image, p in
            progress.report(step: step, total: total, picture: Picture(image: image, title: "fooling image for \(name)"),
                            objective: Double(p))
        }
        let p = result.finalScore
        progress.finish("fooling image for \(name): p \(NumberFormatting.format(Double(p))) after \(result.steps) steps"
                        + (result.interrupted ? " (interrupted)" : ""))
        let picture = Picture(image: result.image, title: "fooling image for \(name), p \(NumberFormatting.format(Double(p)))",
                              shown: result.render())
        picture.curves = ["objective": result.scores]
        picture.facts = ["probability": Double(p), "steps": Double(result.steps), "fooled": p >= options.confidence ? 1 : 0]
        return .engine(.picture(picture))
    }
}
