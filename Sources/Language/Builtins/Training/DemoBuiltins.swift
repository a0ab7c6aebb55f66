import Engine

/// ConvNetJS's other demos (lectures 002 and 004), each one or two cells: the MNIST
/// autoencoder (`autoencoder`, trained by `train`, read by `encode`) and "a network paints an
/// image" (`paint`, read back at any size by `painted`).
enum DemoBuiltins {
    static let family = "Training"

    static var all: [Builtin] { [autoencoder, encode, paint, painted] }

    static let autoencoder = Builtin(
        "autoencoder", family: family,
        parameters: [
            Parameter("code", .integer, default: .number(2), range: .closed(1, 4096), doc: "units in the bottleneck (the code)"),
            Parameter("hidden", .integers, default: .list([.number(50), .number(50)]), range: .closed(1, 4096),
                      doc: "the encoder's tanh widths before the code; the decoder mirrors them"),
            Parameter("input", .integers, default: .list([.number(1), .number(28), .number(28)]), range: .atLeast(1),
                      doc: "[channels, height, width] of one example"),
        ],
        returns: "model",
        summary: "ConvNetJS's MNIST autoencoder: a network trained to reproduce its input through a 2-unit code.",
        paragraph: "Layers as in the demo: fc 50 tanh, fc 50 tanh, fc 2 (the code), fc 50 tanh, fc 50 tanh, fc 784, "
            + "a regression on the pixels. train() on a labelled image set (dataset(\"mnist\")) makes each image its own "
            + "target and shows originals over their reconstructions and the codes coloured by digit; encode() reads them "
            + "afterwards. The demo trains with optimizer: \"adadelta\", batch: 50; with Adam at rate 0.003 the two code units "
            + "end up nearly proportional (the codes lie on a line), with Adadelta they stay a 2-D map.",
        example: "ae = autoencoder(code: 2)\ntrain(ae, dataset(\"mnist\", count: 5000), epochs: 5, batch: 50, optimizer: \"adadelta\")",
        lecture: "002 and 004 (ConvNetJS's autoencoder demo)"
    ) { call in
        let input = try call.integers("input")
        guard input.count == 3 else { throw call.error("input", "input is [channels, height, width], got \(input.count) numbers") }
        var random = SeededRandom(seed: call.session.withRandom { $0.next() })
        let trainable = try Autoencoder.make(code: try call.integer("code"), hidden: try call.integers("hidden"), input: input,
                                             random: &random)
        return .engine(.model(ModelValue(network: try trainable.network(), source: "autoencoder", trainable: trainable)))
    }

    static let encode = Builtin(
        "encode", family: family,
        parameters: [
            Parameter("net", .model, doc: "a network from autoencoder(), convnet() or mlp()"),
            Parameter("data", .dataset, doc: "the examples"),
            Parameter("layer", .string, default: Value.none, doc: "a layer or node name (default: the narrowest fc layer, an autoencoder's code)"),
            Parameter("count", .integer, default: Value.none, range: .atLeast(1), doc: "the first count examples (default all)"),
        ],
        returns: "tensor",
        summary: "A layer's outputs for a dataset's examples, one row each: an autoencoder's 2-D codes.",
        paragraph: "Rows follow the dataset's order, so data.label colours them: scatter(encode(ae, d), labels: d.label). "
            + "Any layer of a network made here can be read (\"fc2\", \"fc2.tanh\"); pca, tsne and dbscan take the rows.",
        example: "scatter(encode(ae, d), labels: d.label, names: d.classes)",
        lecture: "002 and 004 (ConvNetJS's autoencoder demo)"
    ) { call in
        let model = try call.model("net")
        guard let trainable = model.trainable else {
            throw call.error("net", "\(model.network.name) was loaded, not made here: for a loaded model use features()")
        }
        let data = try TrainingBuiltins.dataset(call, "data")
        let layer: String
        if call.isGiven("layer") {
            layer = try call.string("layer")
        } else if let code = Autoencoder.codeNode(of: trainable) {
            layer = code
        } else {
            throw call.error("net", "\(trainable.name) has no fc layer; name the layer to read with layer:")
        }
        let count = call.isGiven("count") ? try call.integer("count") : data.count
        do {
            return .engine(.tensor(try Autoencoder.activations(trainable, data: data, layer: layer, limit: count)))
        } catch let error as EngineError {
            if case .invalid(let message) = error, message.contains("has no layer") { throw call.error("layer", message) }
            throw error
        }
    }

    static let paint = Builtin(
        "paint", family: family,
        parameters: [
            Parameter("img", .picture, doc: "the photo to paint"),
            Parameter("size", .integer, default: .number(64), range: .closed(4, 512), doc: "the longer side of the painting, pixels"),
            Parameter("epochs", .integer, default: .number(20), range: .closed(1, 10_000), doc: "passes over every pixel"),
            Parameter("layers", .integer, default: .number(Double(ImagePainting.demoLayers)), range: .closed(1, 20), doc: "fc relu layers"),
            Parameter("width", .integer, default: .number(Double(ImagePainting.demoWidth)), range: .closed(1, 512), doc: "units per layer"),
            Parameter("batch", .integer, default: .number(5), range: .closed(1, 65_536), doc: "pixels per step"),
            Parameter("rate", .number, default: .number(0.01), range: .above(0), doc: "learning rate (SGD with momentum 0.9)"),
        ],
        returns: "model",
        summary: "\"A network paints an image\": fits (x, y) -> (r, g, b) to a photo, the painting improving live.",
        paragraph: "ConvNetJS's demo: each pixel is an example, its position scaled to [-0.5, 0.5) in, its colour out; "
            + "7 fc 20 relu layers, SGD with momentum 0.9, rate 0.01, batch 5, no weight decay. One picture, updated in "
            + "place, shows the painting (the network evaluated at every pixel) beside the photo with the step and loss; "
            + "pause and rate controls as train(). seed() makes it repeatable; an interrupt stops after the current step and leaves the painting so far on screen. "
            + "Returns the trained network: painted(net, size: 256) paints it again at any size.",
        example: "net = paint(image(\"chelsea\"), size: 64, epochs: 20)\npainted(net, size: 256)",
        lecture: "002 and 004 (ConvNetJS's image painting demo)"
    ) { call in
        let picture = try call.picture("img")
        let painting = try ImagePainting(photo: picture.image, size: try call.integer("size"))
        let data = try painting.dataset()
        var random = SeededRandom(seed: call.session.withRandom { $0.next() })
        let network = try ImagePainting.network(layers: try call.integer("layers"), width: try call.integer("width"), random: &random)
        let rate = try call.number("rate")
        let epochs = try call.integer("epochs")
        let options = try TrainingOptions(epochs: epochs, batchSize: try call.integer("batch"),
                                          optimizer: try OptimizerSettings(kind: .momentum, rate: Float(rate), momentum: 0.9, decay: 0),
                                          seed: call.session.withRandom { $0.next() })
        let progress = call.session.startProgress("paint \(painting.width)x\(painting.height)")
        let total = epochs * data.count
        let control = TrainingControl()
        let controls = RunControls.training(session: call.session, rate: rate, control: control)
        defer { controls.end() }
        func show(_ snapshot: TrainingSnapshot, note: String? = nil) throws {
            let canvas = PaintingPicture(painting: try painting.paint(network), photo: painting.target, steps: snapshot.steps,
                                         loss: snapshot.smoothedLoss).render()
            progress.report(step: snapshot.examples, total: total, picture: Picture(canvas: canvas, title: "a network paints \(picture.title)"),
                            note: note ?? (snapshot.paused ? "paused" : nil), counting: "examples")
        }
        let result = try Trainer.train(network, on: data, options: options, control: control) { snapshot in _ = try? show(snapshot) }
        // The painting stays on screen in its final state with the error in its caption (the cell
        // returns the network, not the picture); after an interrupt too, with the cancellation
        // check held off for this last drawing, as train keeps its dashboard.
        try Cancellation.withHandler({ false }) {
            let error = try painting.meanSquaredError(try painting.paint(network))
            try show(result.last, note: "mean squared error \(NumberFormatting.format(Double(error)))")
        }
        if result.interrupted {
            throw LensError(.interrupted, "painting stopped after \(result.steps) steps; the picture so far is shown above")
        }
        return .engine(.model(ModelValue(network: try network.network(), source: "paint", trainable: network)))
    }

    static let painted = Builtin(
        "painted", family: family,
        parameters: [
            Parameter("net", .model, doc: "a network from paint(): (x, y) -> (r, g, b)"),
            Parameter("size", .integer, default: .number(128), range: .closed(1, 2048), doc: "the painting's width in pixels"),
            Parameter("aspect", .number, default: .number(1), range: .closed(0.05, 20), doc: "height / width"),
        ],
        returns: "image",
        summary: "What a painting network paints: its colour at every pixel's position, at any size.",
        paragraph: "The network is a function of position, so it paints at sizes it never saw: smooth where relu's "
            + "pieces are large, sharp at their creases. Its numbers (save as .npy) are the height x width x 3 colours in 0...1.",
        example: "painted(net, size: 256)",
        lecture: "002 and 004 (ConvNetJS's image painting demo)"
    ) { call in
        let model = try call.model("net")
        guard let trainable = model.trainable, trainable.inputShape == [1, 1, 2] else {
            throw call.error("net", "\(model.network.name) does not map a position (x, y) to a colour: make one with paint()")
        }
        let width = try call.integer("size")
        let height = max(1, Int((Double(width) * (try call.number("aspect"))).rounded()))
        let image = try ImagePainting.paint(trainable, width: width, height: height)
        return .engine(.picture(Picture(image: image, title: "painting \(width)x\(height)",
                                        numbers: ([height, width, 3], image.pixels))))
    }
}
