import Engine

/// `compare_optimizers(spec, data, optimizers: [...])`: ConvNetJS's "SGD / Adagrad / Adadelta"
/// demo, one network description trained with each update rule from the same initial weights,
/// the loss curves live on one plot.
enum CompareOptimizers {
    static let defaultOptimizers = ["sgd", "momentum", "adagrad", "adadelta", "adam"]

    static let builtin = Builtin(
        "compare_optimizers", family: TrainingBuiltins.family,
        parameters: [
            Parameter("spec", .string, doc: "the network, as convnet() reads it: \"fc 8 tanh, fc 8 tanh, fc 2 softmax\""),
            Parameter("data", .dataset, doc: "the training examples (dataset(), toy2d())"),
            Parameter("optimizers", .list, default: .list(defaultOptimizers.map { .string($0) }),
                      doc: "update rules, in order: sgd, momentum, adagrad, adadelta, adam"),
            Parameter("epochs", .integer, default: .number(1), range: .closed(1, 10_000), doc: "passes over the data, per optimizer"),
            Parameter("batch", .integer, default: .number(20), range: .closed(1, 65_536), doc: "examples per step"),
            Parameter("input", .integers, default: Value.none, range: .atLeast(1),
                      doc: "[channels, height, width] of one example (none: the data's; [1, 1, F] for F features)"),
            Parameter("momentum", .number, default: .number(0.9), range: .closed(0, 0.999), doc: "momentum's coefficient"),
            Parameter("decay", .number, default: .number(0.001), range: .atLeast(0), doc: "L2 weight decay on weights"),
            Parameter("validation", .dataset, default: Value.none, doc: "held-out examples for the accuracy column"),
        ],
        returns: "table",
        summary: "Trains one network description with several optimizers from the same initial weights; loss curves on one plot.",
        paragraph: "Every optimizer starts from the same weights (one seed) and sees the examples in the same order, so the curves "
            + "differ only by the update rule; each starts at the untrained network's loss at 0 examples. Rates are train()'s "
            + "defaults: 0.01, adam 0.001, adadelta 1 (Zeiler's rule). The plot updates while the runs go; the curves are the "
            + "smoothed training loss. Returns per optimizer the initial and final loss and the validation accuracy.",
        example: "compare_optimizers(\"fc 8 tanh, fc 8 tanh, fc 2 softmax\", toy2d(kind: \"spiral\", count: 400), epochs: 20, batch: 10)",
        lecture: "004 (ConvNetJS's optimizer comparison)"
    ) { call in
        let text = try call.string("spec")
        let data = try TrainingBuiltins.dataset(call, "data")
        let validation = call.isGiven("validation") ? try TrainingBuiltins.dataset(call, "validation") : nil
        let kinds = try optimizerKinds(call)
        let input = try inputShape(call, data)
        let spec: ConvNetSpec
        do {
            spec = try ConvNetSpec(text)
        } catch let error as ConvNetSpecError {
            throw LensError(.value, error.message, at: TrainingBuiltins.insideLiteral(call.span("spec"), text: text, range: error.range),
                            hint: "for example \"fc 8 tanh, fc 8 tanh, fc 2 softmax\"")
        }
        let settings = try kinds.map { kind in
            try OptimizerSettings(kind: kind, rate: kind == .adam ? 0.001 : kind == .adadelta ? 1 : 0.01,
                                  momentum: Float(try call.number("momentum")), decay: Float(try call.number("decay")))
        }
        let classes = data.labels == nil ? nil : data.classNames
        // One seed for the weights and one for the data order, shared by every run.
        let (weightSeed, orderSeed) = call.session.withRandom { ($0.next(), $0.next()) }
        let make = {
            var random = SeededRandom(seed: weightSeed)
            return try TrainableNetwork(spec: spec, input: input, classNames: classes, name: "convnet", random: &random)
        }
        let progress = call.session.startProgress("compare optimizers")
        let epochs = try call.integer("epochs")
        let total = kinds.count * epochs * data.count
        var curves = kinds.map { LossCurves.Series(name: $0.rawValue, points: []) }
        let title = "training loss (smoothed) by optimizer, \(data.name)"
        let options = try TrainingOptions(epochs: epochs, batchSize: try call.integer("batch"), optimizer: settings[0], seed: orderSeed)
        let runs = try OptimizerComparison.run(make: make, data: data, validation: validation, optimizers: settings,
                                               options: options) { index, snapshot in
            curves[index].points.append((snapshot.examples, snapshot.smoothedLoss))
            let picture = Picture(canvas: LossCurves(title: title, series: curves).render(), title: title)
            progress.report(step: index * epochs * data.count + snapshot.examples, total: total, picture: picture,
                            counting: "examples")
        }
        // The finished curves: the common starting loss, then every history row.
        for (index, run) in runs.enumerated() { curves[index].points = run.curve }
        let plot = LossCurves(title: title, series: Array(curves.prefix(runs.count)))
        progress.report(step: total, total: total, picture: Picture(canvas: plot.render(), title: title), counting: "examples")
        if let last = runs.last, last.result.interrupted {
            throw LensError(.interrupted, "compare_optimizers stopped during \(last.settings.kind.rawValue) after "
                            + "\(last.result.examples) examples; the runs before it finished")
        }
        // The plot stays as drawn (no progress.finish): it is half of what the cell shows.
        let rows: [[Value]] = runs.map { run in
            [.string(run.settings.kind.rawValue), .number(Double(run.settings.rate)), .number(Double(run.initialLoss)),
             .number(Double(run.finalLoss)), run.result.validationAccuracy.map { .number(Double($0)) } ?? .none]
        }
        return .table(Table(title: "optimizers compared on \(data.name): \(epochs) epoch(s), batch \(try call.integer("batch"))",
                            columns: ["optimizer", "rate", "initial_loss", "final_loss", "validation_accuracy"], rows: rows))
    }

    /// The optimizer names in "optimizers", as kinds; an unknown name is an error naming the choices.
    static func optimizerKinds(_ call: Invocation) throws -> [OptimizerKind] {
        guard case .list(let items) = call.value("optimizers"), !items.isEmpty else {
            throw call.error("optimizers", .type, "optimizers is a non-empty list of names such as [\"sgd\", \"adam\"]")
        }
        return try items.map { item in
            guard case .string(let name) = item else {
                throw call.error("optimizers", .type, "optimizer names are strings, found \(item.typeName)")
            }
            guard let kind = OptimizerKind(rawValue: name) else {
                throw call.error("optimizers", "there is no optimizer '\(name)'",
                                 hint: "the optimizers are " + OptimizerKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return kind
        }
    }

    /// The network's input: "input" when given, else the data's example shape ([F] points become [1, 1, F], as mlp takes them).
    static func inputShape(_ call: Invocation, _ data: LabeledDataset) throws -> [Int] {
        if call.isGiven("input") {
            let input = try call.integers("input")
            guard input.count == 3 else { throw call.error("input", "input is [channels, height, width], got \(input.count) numbers") }
            return input
        }
        switch data.sampleShape.count {
        case 3: return data.sampleShape
        case 1: return [1, 1, data.sampleShape[0]]
        default:
            throw call.error("data", "\(data.name)'s examples are \(data.sampleShape); give input: [channels, height, width]")
        }
    }
}
