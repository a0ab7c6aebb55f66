import Engine

/// `evaluate(net, data)` and `predictions(net, data, count:)`: how well a classifier does on a
/// labelled set, as a confusion matrix and as examples with their top-3 guesses (ConvNetJS's demo).
enum EvaluationBuiltins {
    static let evaluate = Builtin(
        "evaluate", family: DatasetBuiltins.family,
        parameters: [
            Parameter("net", .model, doc: "a classifier whose classes match the dataset's (in number)"),
            Parameter("data", .dataset, doc: "a labelled set from dataset() or toy2d()"),
            Parameter("batch", .integer, default: .number(100), range: .closed(1, 10_000), doc: "examples per forward pass"),
        ],
        returns: "image",
        summary: "Accuracy, per-class accuracy and the confusion matrix of a classifier on a dataset.",
        paragraph: "Rows are true classes, columns predicted ones; each row's accuracy is beside it and the overall accuracy "
            + "in the title. save(x, \"f.npy\") writes the counts drawn (above 30 classes, as for ImageNet, only the classes "
            + "that occur, at most 30). Examples go in as they are when they fit a network "
            + "with an identity input convention (convnet, lenet_mnist), otherwise through the network's preprocessing.",
        example: "evaluate(model(\"lenet_mnist\"), dataset(\"mnist\", split: \"test\", count: 1000))",
        lecture: "002 and 004 (ConvNetJS MNIST demo)"
    ) { call in
        let model = try call.model("net")
        let data = try call.dataset("data")
        try checkClasses(call, model.network, data)
        let progress = call.session.startProgress("evaluate")
        let result = try Evaluation.run(model.network, on: data, batchSize: try call.integer("batch"),
                                        progress: { progress.report(step: $0, total: $1) })
        let accuracy = NumberLabel.percent(result.accuracy)
        let title = "\(model.network.name) on \(data.name): accuracy \(accuracy) (\(result.correct)/\(result.count))"
        let plot = ConfusionMatrixPlot(evaluation: result, title: title)
        let shown = plot.shownClasses.count
        // Per-class accuracy as text too, for readers of text/plain and for copying.
        let perClass = (0..<result.classCount).compactMap { c in
            result.classAccuracy(c).map { "\(result.classNames[c]) \(NumberLabel.percent($0))" }
        }
        call.session.output.write("\(title)\nper class: \(perClass.joined(separator: ", "))\n", toStandardError: false)
        return .engine(.picture(Picture(canvas: plot.render(), title: title, numbers: ([shown, shown], plot.shownCounts))))
    }

    static let predictions = Builtin(
        "predictions", family: DatasetBuiltins.family,
        parameters: [
            Parameter("net", .model, doc: "a classifier"),
            Parameter("data", .dataset, doc: "a labelled image set from dataset()"),
            Parameter("count", .integer, default: .number(20), range: .closed(1, 200), doc: "how many examples, the first ones"),
            Parameter("top", .integer, default: .number(3), range: .closed(1, 5), doc: "guesses shown per example"),
        ],
        returns: "image",
        summary: "Examples with the network's top-3 classes and probabilities: green when right, red when wrong.",
        paragraph: "As ConvNetJS shows its test digits: the true label above each image, the guesses below. "
            + "save(x, \"f.npy\") writes each example's probabilities (count x classes).",
        example: "predictions(model(\"lenet_mnist\"), dataset(\"mnist\", split: \"test\"), count: 30)",
        lecture: "002 and 004 (ConvNetJS MNIST demo)"
    ) { call in
        let model = try call.model("net")
        let data = try call.dataset("data")
        guard data.sampleShape.count == 3, [1, 3].contains(data.sampleShape[0]) else {
            throw call.error("data", "predictions shows images; \(data.name)'s examples are \(data.sampleShape)",
                             hint: "evaluate(net, data) works on any labelled set")
        }
        try checkClasses(call, model.network, data)
        let (names, labels) = try Evaluation.classes(model.network, data)
        let count = min(try call.integer("count"), data.count)
        let top = min(try call.integer("top"), names.count)
        let rows = try DatasetBatches.outputs(model.network, data, Array(0..<count), classes: names.count)
        var probabilities: [Float] = []
        var entries: [PredictionGrid.Entry] = []
        for index in 0..<count {
            let p = Evaluation.probabilities(rows[(index * names.count)..<((index + 1) * names.count)])
            probabilities += p
            let ranked = p.indices.sorted { (p[$0], -$0) > (p[$1], -$1) }.prefix(top)
            let picture = try SampleSet.tile(try data.image(index))
            entries.append(PredictionGrid.Entry(image: picture, truth: names[labels[index]],
                                                top: ranked.map { (names[$0], p[$0]) }, correct: ranked.first == labels[index]))
        }
        let right = entries.filter(\.correct).count
        let title = "\(model.network.name) on \(data.name): \(right) of \(count) right"
        return .engine(.picture(Picture(canvas: PredictionGrid(title: title, entries: entries).render(), title: title,
                                        numbers: ([count, names.count], probabilities))))
    }

    /// The network/dataset class check, as an error pointing at `data` that says both counts.
    static func checkClasses(_ call: Invocation, _ network: Network, _ data: LabeledDataset) throws {
        do {
            _ = try Evaluation.classes(network, data)
        } catch EngineError.invalid(let message) {
            throw call.error("data", message)
        }
    }
}
