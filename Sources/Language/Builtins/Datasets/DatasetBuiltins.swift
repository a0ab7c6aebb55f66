import Engine

/// Image sets: the lectures run "many images through the network" (patches, embeddings,
/// neighbours), and the language has no loops, so whole sets come from one call.
enum DatasetBuiltins {
    static let family = "Datasets"

    static var all: [Builtin] {
        [samples, mnist, gallery, DatasetLoading.dataset, DatasetLoading.toy2d, DatasetLoading.toy1d, EvaluationBuiltins.evaluate, EvaluationBuiltins.predictions]
    }

    /// More tiles than this make a gallery too large to look at (and to encode).
    static let galleryLimit = 1000

    static let samples = Builtin(
        "samples", family: family,
        parameters: [
            Parameter("names", .list, default: Value.none, doc: "sample names to load, in this order (none: every sample)"),
        ],
        returns: "list",
        summary: "The sample photos as a list of images, each captioned with its name.",
        paragraph: "The set to run through a network for maximally activating patches, nearest neighbours and "
            + "embeddings; images() lists the names with what each shows.",
        example: "photos = samples()\npets = samples([\"chelsea\", \"dog\"])",
        lecture: "000 (1.7, run many images through the network)"
    ) { call in
        let names: [String]
        if call.value("names").isNone {
            names = SampleImages().names
            guard !names.isEmpty else {
                throw LensError(.io, "no sample images found", at: call.callSpan,
                                hint: "run `make setup` (or set CONVLENS_ASSETS)")
            }
        } else {
            guard let items = call.value("names").elements, !items.isEmpty else {
                throw call.error("names", "give at least one sample name, like [\"chelsea\"]")
            }
            names = try items.map { item in
                guard case .string(let name) = item else {
                    throw call.error("names", .type, "sample names must be strings, found \(item.typeName)")
                }
                return name
            }
        }
        return .list(try names.map { .engine(.picture(try SampleSet.load($0, call: call))) })
    }

    static let mnist = Builtin(
        "mnist", family: family,
        parameters: [
            Parameter("count", .integer, default: .number(500), range: .atLeast(1),
                      doc: "how many digits, at most the split's size"),
            Parameter("split", .choice(["test", "train"]), default: .string("test"),
                      doc: "the 10,000 test digits or the 60,000 training digits"),
            Parameter("shuffle", .bool, default: .bool(false),
                      doc: "pick the digits at random (following seed()) instead of the first count"),
        ],
        returns: "table",
        summary: "MNIST digits as a table: one row per digit with its image, label and index.",
        paragraph: "Columns are members, so digits.image is the list of 28x28 gray images and digits.label their "
            + "labels 0-9, ready for features(), scatter(labels:) and embedgrid().",
        example: "digits = mnist(count: 500)\npoints = tsne(features(model(\"lenet_mnist\"), digits.image, \"fc1\"))\n"
            + "scatter(points, labels: digits.label)",
        lecture: "000 (1.8) and 004 (t-SNE of MNIST)"
    ) { call in
        let split = try call.string("split") == "train" ? MNISTDataset.Split.train : .test
        let dataset = try SampleSet.mnist(split, call: call)
        let count = try call.integer("count")
        guard count <= dataset.count else {
            throw call.error("count", "count must be at most the \(dataset.count) digits of the \(try call.string("split")) split, got \(count)")
        }
        let indices = try call.bool("shuffle")
            ? call.session.withRandom { SampleSet.choose(count, from: dataset.count, using: &$0) }
            : Array(0..<count)
        let splitName = split == .train ? "train" : "test"
        let rows: [[Value]] = try indices.map { index in
            let label = dataset.labels[index]
            let picture = Picture(image: try dataset.image(index), title: "digit \(label) (MNIST \(splitName) #\(index))")
            return [.engine(.picture(picture)), .number(Double(label)), .number(Double(index))]
        }
        return .table(Table(title: "\(count) MNIST \(splitName) digits", columns: ["image", "label", "index"], rows: rows))
    }

    static let gallery = Builtin(
        "gallery", family: family,
        parameters: [
            Parameter("images", .pictures, doc: "the images to show"),
            Parameter("labels", .list, default: Value.none, doc: "a caption per image (none: each image's name)"),
            Parameter("columns", .integer, default: Value.none, range: .closed(1, 100), doc: "images per row (none: about square)"),
            Parameter("title", .string, default: .string(""), doc: "a title above the grid"),
        ],
        returns: "image",
        summary: "Shows a set of images as one labelled grid.",
        paragraph: "To look at the set a technique runs on: the sample photos, or MNIST digits captioned with their "
            + "labels. Small images are scaled up by whole factors, large ones down to 160 pixels.",
        example: "gallery(samples())\ndigits = mnist(count: 40)\ngallery(digits.image, labels: digits.label, columns: 10)",
        lecture: "004 (ConvNetJS MNIST demo)"
    ) { call in
        let pictures = try call.pictures("images")
        guard !pictures.isEmpty else { throw call.error("images", "there are no images to show") }
        guard pictures.count <= galleryLimit else {
            throw call.error("images", "\(pictures.count) images are too many for one gallery (at most \(galleryLimit))")
        }
        var labels = pictures.map(\.title)
        if let given = call.value("labels").elements {
            guard given.count == pictures.count else {
                throw call.error("labels", "needs one label per image: \(given.count) labels for \(pictures.count) images")
            }
            labels = given.map(ValueText.printed)
        }
        var columns: Int?
        if !call.value("columns").isNone {
            columns = try call.integer("columns")
        }
        let grid = TileGrid(title: try call.string("title"), tiles: try pictures.map { try SampleSet.tile($0.image) },
                            labels: labels, columns: columns)
        return .engine(.picture(Picture(canvas: grid.render(), title: "gallery of \(pictures.count) images")))
    }
}
