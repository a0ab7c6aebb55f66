import Engine

/// How a `LabeledDataset` reads in the language: its one-line summary and its members.
enum DatasetValue {
    static let memberDocs: [String: String] = [
        "count": "how many examples",
        "label": "the class index of each example, as a list (classification sets)",
        "classes": "the class names, as a list",
        "image": "the examples as a list of images (image sets; at most 5,000)",
    ]

    /// More images than this in `.image` would hold every digit of MNIST as a separate picture.
    static let imageListLimit = 5000

    static func summary(_ dataset: LabeledDataset) -> String {
        let shape = dataset.sampleShape.map(String.init).joined(separator: "x")
        switch dataset.targets {
        case .classes(_, let names):
            return "dataset \(dataset.name): \(dataset.count) examples of \(shape), \(names.count) classes"
        case .values(_, let targetShape):
            return "dataset \(dataset.name): \(dataset.count) examples of \(shape) -> \(targetShape.map(String.init).joined(separator: "x"))"
        }
    }

    /// Examples in the display's gallery: enough to see what the set holds, cheap for 60,000.
    static let previewImages = 24
    /// Points in the display's scatter (a 2-D set of more is sampled evenly).
    static let previewPoints = 5000

    /// The summary line plus a picture: a labelled gallery of the first examples of an image set,
    /// a scatter coloured by class of a 2-D point set, the points of a 1-D regression set; text alone
    /// for anything else.
    static func displayBundle(_ dataset: LabeledDataset) -> DisplayBundle {
        let text = summary(dataset)
        guard let canvas = try? preview(dataset) else { return .text(text) }
        var bundle = Picture(canvas: canvas, title: text).displayBundle()
        bundle.data["text/plain"] = text
        return bundle
    }

    /// The display's picture, or nil when the examples are neither images nor 2-D points.
    static func preview(_ dataset: LabeledDataset) throws -> Canvas? {
        guard dataset.count > 0 else { return nil }
        let names = dataset.classNames
        func caption(_ index: Int) -> String {
            guard let label = dataset.labels?[index] else { return "#\(index)" }
            return label < names.count ? names[label] : "\(label)"
        }
        let shape = dataset.sampleShape
        if shape.count == 3, shape[0] == 1 || shape[0] == 3 {
            let shown = Array(0..<min(previewImages, dataset.count))
            let tiles = try shown.map { try SampleSet.tile(try dataset.image($0)) }
            let more = dataset.count > shown.count ? " (first \(shown.count))" : ""
            return TileGrid(title: "\(dataset.name)\(more)", tiles: tiles, labels: shown.map(caption),
                            columns: min(12, shown.count)).render()
        }
        if shape == [2] {
            let step = max(1, (dataset.count + previewPoints - 1) / previewPoints)
            let shown = Array(stride(from: 0, to: dataset.count, by: step))
            var plot = ScatterPlot(title: dataset.name, points: shown.flatMap { [dataset.inputs[2 * $0], dataset.inputs[2 * $0 + 1]] },
                                   labels: dataset.labels.map { labels in shown.map { labels[$0] } } ?? [],
                                   classNames: names)
            plot.plotWidth = 320
            plot.plotHeight = 320
            return plot.render()
        }
        if shape == [1], case .values(let ys, let targetShape) = dataset.targets, targetShape == [1] {
            // A 1-D regression set (toy1d): the points (x, y), no fit yet.
            let shown = min(dataset.count, previewPoints)
            var plot = RegressionFitPlot(xs: Array(dataset.inputs.prefix(shown)), ys: Array(ys.prefix(shown)), curve: [])
            plot.width = 320
            plot.height = 200
            plot.title = dataset.name
            return plot.render()
        }
        return nil
    }

    /// The .npy shape of the inputs: [count] + example shape.
    static func shape(_ dataset: LabeledDataset) -> [Int] { [dataset.count] + dataset.sampleShape }

    static func member(_ dataset: LabeledDataset, _ name: String) throws -> Value? {
        switch name {
        case "count": return .number(Double(dataset.count))
        case "label": return dataset.labels.map { .list($0.map { .number(Double($0)) }) }
        case "classes": return .list(dataset.classNames.map { .string($0) })
        case "image":
            guard dataset.count <= imageListLimit else {
                throw LensError(.value, "\(dataset.name) has \(dataset.count) examples; .image lists at most \(imageListLimit)",
                                hint: "take a smaller set with dataset(..., count: \(imageListLimit))")
            }
            return .list(try (0..<dataset.count).map { .engine(.picture(Picture(image: try dataset.image($0), title: "\(dataset.name) #\($0)"))) })
        default: return nil
        }
    }
}
