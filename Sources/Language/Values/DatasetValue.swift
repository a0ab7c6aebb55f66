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
