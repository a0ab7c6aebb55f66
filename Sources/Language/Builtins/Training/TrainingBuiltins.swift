import Engine
import Foundation

/// Networks made and trained in a cell, as ConvNetJS does in the browser (lectures 002 and
/// 004): `convnet` from a one-line spec, `mlp` for the toy demos, and `train` with a live
/// dashboard.
enum TrainingBuiltins {
    static let family = "Training"

    static var all: [Builtin] { [convnet, mlp, train, CompareOptimizers.builtin] }

    static let convnet = Builtin(
        "convnet", family: family,
        parameters: [
            Parameter("spec", .string, doc: "layers separated by commas: conv 5x5 8 relu, pool 2, fc 10 softmax, dropout 0.5, batchnorm, relu"),
            Parameter("input", .integers, default: .list([.number(1), .number(28), .number(28)]), range: .atLeast(1),
                      doc: "[channels, height, width] of one example"),
            Parameter("classes", .list, default: Value.none, doc: "class names (default \"0\" ... for a network ending in softmax)"),
        ],
        returns: "model",
        summary: "A new convolutional network from a ConvNetJS-style layer description, with seeded random weights.",
        paragraph: "conv KxK N pads to keep the size (add stride S or pad P to change it); pool N is max pooling N with stride N; "
            + "fc N is fully connected; relu, tanh or sigmoid after a layer applies it; softmax after the last fc makes a "
            + "classifier trained with softmax cross-entropy. Weights start He-normal before ReLU, Glorot-uniform otherwise; "
            + "seed() makes them repeatable. Train it with train(); every other builtin reads it like a loaded model.",
        example: "net = convnet(\"conv 5x5 8 relu, pool 2, conv 5x5 16 relu, pool 3, fc 10 softmax\", input: [1, 28, 28])",
        lecture: "002 and 004 (ConvNetJS's MNIST demo)"
    ) { call in
        let text = try call.string("spec")
        let input = try call.integers("input")
        guard input.count == 3 else { throw call.error("input", "input is [channels, height, width], got \(input.count) numbers") }
        let classes = try classNames(call)
        do {
            let spec = try ConvNetSpec(text)
            var random = SeededRandom(seed: call.session.withRandom { $0.next() })
            let trainable = try TrainableNetwork(spec: spec, input: input, classNames: classes, name: "convnet", random: &random)
            return .engine(.model(ModelValue(network: try trainable.network(), source: "convnet", trainable: trainable)))
        } catch let error as ConvNetSpecError {
            throw LensError(.value, error.message, at: insideLiteral(call.span("spec"), text: text, range: error.range),
                            hint: "for example \"conv 5x5 8 relu, pool 2, fc 10 softmax\"")
        }
    }

    static let mlp = Builtin(
        "mlp", family: family,
        parameters: [
            Parameter("sizes", .integers, range: .atLeast(1), doc: "[inputs, hidden ..., outputs]"),
            Parameter("activation", .choice(["tanh", "relu", "sigmoid"]), default: .string("tanh"), doc: "after each hidden layer"),
            Parameter("classes", .list, default: Value.none, doc: "class names: a classifier (default: one per output)"),
            Parameter("regression", .bool, default: .bool(false), doc: "true: outputs are values (trained with mean squared error)"),
        ],
        returns: "model",
        summary: "A multilayer perceptron, TensorFlow Playground's network, with seeded random weights.",
        paragraph: "Fully connected layers of the given sizes with the activation between them. By default a classifier "
            + "over its outputs (softmax cross-entropy); regression: true fits values with mean squared error. Examples "
            + "are vectors of the first size (toy2d points).",
        example: "net = mlp([2, 8, 8, 2], activation: \"tanh\")",
        lecture: "004 (TensorFlow Playground)"
    ) { call in
        let sizes = try call.integers("sizes")
        guard sizes.count >= 2 else { throw call.error("sizes", "mlp needs at least [inputs, outputs], got \(sizes)") }
        let activation = ConvNetSpec.Activation(rawValue: try call.string("activation")) ?? .tanh
        let regression = try call.bool("regression")
        let spec = try ConvNetSpec.mlp(sizes, activation: activation)
        var random = SeededRandom(seed: call.session.withRandom { $0.next() })
        let outputs = sizes[sizes.count - 1]
        let names = regression ? [] : (try classNames(call) ?? (0..<outputs).map(String.init))
        let graph = try spec.graph(input: [1, 1, sizes[0]], random: &random)
        let trainable = try TrainableNetwork(name: "mlp", graph: graph, inputShape: [1, 1, sizes[0]], classNames: names)
        return .engine(.model(ModelValue(network: try trainable.network(), source: "mlp", trainable: trainable)))
    }

    static let train = Builtin(
        "train", family: family,
        parameters: [
            Parameter("net", .model, doc: "a network from convnet() or mlp(); trained in place"),
            Parameter("data", .dataset, doc: "the training examples (dataset(), toy2d())"),
            Parameter("epochs", .integer, default: .number(1), range: .closed(1, 10_000), doc: "passes over the data"),
            Parameter("batch", .integer, default: .number(20), range: .closed(1, 65_536), doc: "examples per step"),
            Parameter("rate", .number, default: Value.none, range: .above(0),
                      doc: "learning rate (default 0.01; adam 0.001; adadelta 1, Zeiler's rule)"),
            Parameter("optimizer", .choice(OptimizerKind.allCases.map(\.rawValue)), default: .string("momentum"),
                      doc: "sgd, momentum, adagrad (Duchi et al.), adadelta (Zeiler), adam (Kingma & Ba)"),
            Parameter("momentum", .number, default: .number(0.9), range: .closed(0, 0.999), doc: "momentum coefficient"),
            Parameter("decay", .number, default: .number(0.001), range: .atLeast(0), doc: "L2 weight decay on weights (not biases)"),
            Parameter("validation", .dataset, default: Value.none, doc: "held-out examples for the accuracy curve and the strip"),
        ],
        returns: "table",
        summary: "Trains a network in place with minibatch gradient descent, showing a live dashboard.",
        paragraph: "Each epoch shuffles the data (seed() makes runs bit-identical), then per batch runs forward, the loss "
            + "(softmax cross-entropy for classes, mean squared error for values), backward and an optimizer step. The "
            + "dashboard, updated a few times a second, shows the smoothed loss, validation accuracy, examples/s, forward and "
            + "backward time per example, the first layer's filters and validation examples with their top-3 classes; an mlp "
            + "on 2-D points (toy2d) shows TensorFlow Playground's decision regions with the points and each hidden neuron's map instead; "
            + "an autoencoder() given labelled images learns to reproduce them and shows originals over reconstructions and the "
            + "codes coloured by class. "
            + "Interrupting stops after the current batch and keeps the weights. Returns the training history.",
        example: "train(net, dataset(\"mnist\", count: 2000), epochs: 2, validation: dataset(\"mnist\", split: \"test\", count: 500))",
        lecture: "002 and 004 (ConvNetJS's demos; optimizers compared)"
    ) { call in
        let model = try call.model("net")
        guard let trainable = model.trainable else {
            throw call.error("net", "\(model.network.name) was loaded, not made here: train networks from convnet() or mlp()")
        }
        // An autoencoder given labelled images learns to reproduce them; the labels stay with the
        // live panel, which colours the codes by class.
        let shown = try dataset(call, "data")
        let autoencoding = Autoencoder.reconstructs(trainable) && shown.labels != nil
        let data = autoencoding ? try Autoencoder.selfTargets(shown) : shown
        let validation = try call.isGiven("validation")
            ? (autoencoding ? Autoencoder.selfTargets(try dataset(call, "validation")) : dataset(call, "validation")) : nil
        let kind = OptimizerKind(rawValue: try call.string("optimizer")) ?? .momentum
        let defaultRate: Double = kind == .adam ? 0.001 : kind == .adadelta ? 1 : 0.01
        let rate = call.isGiven("rate") ? try call.number("rate") : defaultRate
        let settings = try OptimizerSettings(kind: kind, rate: Float(rate), momentum: Float(try call.number("momentum")),
                                             decay: Float(try call.number("decay")))
        let epochs = try call.integer("epochs")
        let options = try TrainingOptions(epochs: epochs, batchSize: try call.integer("batch"), optimizer: settings,
                                          seed: call.session.withRandom { $0.next() })
        let progress = call.session.startProgress("train \(trainable.name)")
        let total = epochs * data.count
        var live = TrainingLive(network: trainable, data: shown, validation: validation, initialRate: Float(rate))
        // A pause button and a rate slider, live while the run lasts (read between batches).
        let control = TrainingControl()
        let controls = RunControls.training(session: call.session, rate: rate, control: control)
        defer { controls.end() }
        let result: TrainingResult
        do {
            result = try Trainer.train(trainable, on: data, validation: validation, options: options, control: control) { snapshot in
                guard let picture = try? live.picture(snapshot) else { return }
                progress.report(step: snapshot.examples, total: total, picture: picture, note: snapshot.paused ? "paused" : nil,
                                counting: "examples")
            }
        } catch {
            try model.refreshFromTrainable()
            throw error
        }
        try model.refreshFromTrainable()
        if let picture = try live.finished(result) {
            progress.report(step: result.examples, total: total, picture: picture, counting: "examples")
        }
        if result.interrupted {
            throw LensError(.interrupted, "training stopped after \(result.examples) examples (\(result.steps) steps); the weights trained so far are kept")
        }
        let accuracy = result.validationAccuracy.map { ", validation accuracy \(NumberFormatting.format(Double($0) * 100))%" } ?? ""
        // The dashboard stays in its final state (the trainer's last report): the finished curves,
        // filters and predictions, or the Playground's decision regions, are what the lecture shows.
        let rows: [[Value]] = result.history.map { entry in
            [.number(Double(entry.examples)), .number(Double(entry.epoch)), .number(Double(entry.loss)),
             .number(Double(entry.smoothedLoss)), entry.validationAccuracy.map { .number(Double($0)) } ?? .none,
             .number(Double(entry.rate))]
        }
        return .table(Table(title: "train \(trainable.name): \(result.examples) examples\(accuracy)",
                            columns: ["examples", "epoch", "loss", "smoothed_loss", "validation_accuracy", "rate"], rows: rows))
    }

    /// The class names in argument "classes", or nil when none were given.
    static func classNames(_ call: Invocation) throws -> [String]? {
        switch call.value("classes") {
        case .none: return nil
        case .list(let items):
            return try items.map { item in
                switch item {
                case .string(let name): return name
                case .number(let number): return NumberFormatting.format(number)
                default: throw call.error("classes", .type, "class names are strings, found \(item.typeName)")
                }
            }
        case let other: throw call.error("classes", .type, "classes is a list of names, got \(other.typeName)")
        }
    }

    static func dataset(_ call: Invocation, _ name: String) throws -> LabeledDataset {
        guard case .engine(.dataset(let data)) = call.value(name) else {
            throw call.error(name, .type, "\(name) must be a dataset (from dataset() or toy2d()), got \(call.value(name).typeName)")
        }
        return data
    }

    /// The span of characters `range` (Character offsets of `text`) inside the string literal
    /// at `literal`; the whole literal when it is not a plain literal of that text (escapes,
    /// or a variable).
    static func insideLiteral(_ literal: SourceSpan, text: String, range: Range<Int>) -> SourceSpan {
        let scalars = text.unicodeScalars.count
        guard literal.length == scalars + 2 else { return literal }
        let characters = Array(text)
        func scalarOffset(_ characterOffset: Int) -> Int {
            characters.prefix(max(0, min(characterOffset, characters.count))).reduce(0) { $0 + $1.unicodeScalars.count }
        }
        let start = scalarOffset(range.lowerBound), end = max(scalarOffset(range.upperBound), start + 1)
        let location = SourceLocation(offset: literal.start.offset + 1 + start, line: literal.start.line,
                                      column: literal.start.column + 1 + start)
        return SourceSpan(start: location, endOffset: min(literal.endOffset - 1, literal.start.offset + 1 + end))
    }
}
