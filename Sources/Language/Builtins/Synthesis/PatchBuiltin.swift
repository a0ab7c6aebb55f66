import Engine

extension AttackBuiltins {
    static let patch = Builtin(
        "patch", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("images", .either(.pictures, .dataset), doc: "the photos to train on and measure with (a list of images or an image dataset)"),
            Parameter("class", .className, doc: "the class the patch should make the network see"),
            Parameter("size", .number, default: .number(0.1), range: AdversarialPatch.Options.sizeRange,
                      doc: "the share of the image's area the patch covers"),
            Parameter("steps", .integer, default: .number(300), range: AdversarialPatch.Options.stepRange, doc: "training steps"),
            Parameter("batch", .integer, default: .number(8), range: .closed(1, 64), doc: "patched training images per step"),
            Parameter("rate", .number, default: .number(0.02), range: AdversarialPatch.Options.rateRange,
                      doc: "Adam's learning rate on the patch's pixels (0 to 1)"),
            Parameter("holdout", .number, default: .number(0.3), range: .init(lower: .exclusive(0), upper: .exclusive(1)),
                      doc: "the share of the images kept out of training to measure the success rate"),
        ],
        returns: "image",
        summary: "An adversarial patch: a small square that makes the network see the class wherever it is pasted.",
        paragraph: "Brown et al. 2017's adversarial patch (lecture 002). The images are shuffled (seed() makes it "
            + "repeatable) and split into training and held-out ones. Each step pastes the patch on a batch of training "
            + "images at random places, scales (0.8 to 1.2 times its side) and rotations (-20 to 20 degrees) and moves it "
            + "by Adam up the gradient of the mean log p(class) (expectation over transformation). The success rate is the "
            + "share of held-out images, each patched at 4 random places and rotations at its size, that the network "
            + "classifies as the class; images it already calls the class are left out. The patch forms in place with "
            + "the step and the objective; an interrupt keeps the patch so far. The result is the patch (an image); "
            + "r.success is the success rate (0 to 1), r.objective the mean log p(class) per step.",
        example: "p = patch(model(), samples(), class: \"toaster\", size: 0.1)\np.success",
        lecture: "002 (adversarial patches)"
    ) { call in
        let model = try call.model("net")
        guard let target = try call.classIndex("class", of: model) else {
            throw call.error("class", .argument, "patch needs the class the patch should make the network see", hint: "class: \"toaster\"")
        }
        var images = try patchImages(call)
        guard images.count >= 2 else {
            throw call.error("images", "patch needs at least 2 images (some to train on, some to measure with), got \(images.count)")
        }
        var random = SeededRandom(seed: call.session.withRandom { $0.next() })
        images.shuffle(using: &random)
        let heldOut = Swift.min(images.count - 1, Swift.max(1, Int((try call.number("holdout") * Double(images.count)).rounded())))
        var options = AdversarialPatch.Options(size: Float(try call.number("size")), steps: try call.integer("steps"),
                                               batch: try call.integer("batch"), rate: Float(try call.number("rate")))
        options.seed = random.next()
        let name = model.network.classNames.indices.contains(target) ? model.network.classNames[target] : "\(target)"
        let progress = call.session.startProgress("adversarial patch for \(name)")
        let result = try AdversarialPatch.run(network: model.network, training: Array(images.dropFirst(heldOut)),
                                              heldOut: Array(images.prefix(heldOut)), target: target, options: options) { step, total, patch, objective in
            guard step % 5 == 0 || step == total, let large = try? patch.resized(width: 160, height: 160) else { return }
            progress.report(step: step, total: total, picture: Picture(image: large, title: "patch for \(name)"), objective: Double(objective))
        }
        progress.finish("adversarial patch for \(name): held-out success \(NumberFormatting.format(Double(result.successRate * 100)))%"
                        + (result.interrupted ? " (interrupted)" : ""))
        let picture = Picture(image: result.patch, title: "adversarial patch for \(name), held-out success "
                              + "\(NumberFormatting.format(Double(result.successRate * 100)))%", shown: result.render())
        picture.curves = ["objective": result.objectives]
        picture.facts = ["success": Double(result.successRate), "steps": Double(result.objectives.count)]
        return .engine(.picture(picture))
    }

    /// The images of a list of pictures or of an image dataset ([C, H, W] examples in 0...1).
    private static func patchImages(_ call: Invocation) throws -> [Image] {
        guard case .engine(.dataset) = call.value("images") else { return try call.pictures("images").map(\.image) }
        let data = try call.dataset("images")
        guard data.sampleShape.count == 3, data.sampleShape[0] == 1 || data.sampleShape[0] == 3 else {
            throw call.error("images", "patch needs images; \(data.name) holds examples of shape \(data.sampleShape)")
        }
        return try (0..<data.count).map { try data.image($0) }
    }
}
