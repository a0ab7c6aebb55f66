import Engine

/// Features as points, and maps of them: features, pca, tsne, dbscan, scatter, embedgrid (lecture 004).
enum EmbeddingBuiltins {
    static let family = "Embeddings"

    static var all: [Builtin] { [features, pca, tsne, dbscan, scatter, embedgrid] }

    static let features = Builtin(
        "features", family: family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("images", .pictures, doc: "the images"),
            Parameter("layer", .layerName, doc: "the layer whose activations become the features"),
            Parameter("pool", .choice(FeatureExtraction.Pooling.allCases.map(\.rawValue)), default: .string("none"),
                      doc: "none: every value; mean or max: one value per channel (global pooling, for thousands of images)"),
        ],
        returns: "tensor",
        summary: "The activations of a layer for each image, flattened: an images x features matrix.",
        paragraph: "Row i is image i's code at the layer (the CNN codes of lecture 004); pca and tsne map them to 2-D. "
            + "Images run in batches and only the layer's vector per image is kept; progress counts images.",
        example: "codes = features(model(), [image(\"chelsea\"), image(\"coffee\")], \"pool5\")",
        lecture: "004 (t-SNE of CNN codes)"
    ) { call in
        let model = try call.model("net")
        let pictures = try call.pictures("images")
        let layer = try call.layer("layer", of: model)
        let progress = call.session.startProgress("features of images")
        let pooling = FeatureExtraction.Pooling(rawValue: try call.string("pool")) ?? .none
        let matrix = try FeatureExtraction.features(network: model.network, images: pictures.map(\.image), layer: layer.name,
                                                    pooling: pooling, progress: { progress.report(step: $0, total: $1) })
        return .engine(.tensor(try Tensor(shape: [matrix.rows, matrix.columns], data: matrix.values)))
    }

    static let pca = Builtin(
        "pca", family: family,
        parameters: [
            Parameter("x", .either(.tensor, .list), doc: "an n x d matrix (features() or a list of rows)"),
            Parameter("dims", .integer, default: .number(2), range: PCA.dimsRange,
                      doc: "how many principal components to keep, at most the number of rows and of columns"),
        ],
        returns: "tensor",
        summary: "Projects rows onto their first principal components (LAPACK).",
        paragraph: "Centres the rows and projects them on the directions of largest variance; each component's "
            + "sign is fixed so its largest entry is positive, so results repeat exactly.",
        example: "pca(codes, dims: 2)",
        lecture: "004 (PCA before t-SNE)"
    ) { call in
        let (values, rows, columns) = try matrix(call, "x")
        let dims = try call.integer("dims")
        guard dims <= min(rows, columns) else {
            throw call.error("dims", "dims must be at most \(min(rows, columns)) for x's \(rows) rows of \(columns) columns, got \(dims)")
        }
        let result = try PCA.fit(values, rows: rows, columns: columns, dims: dims)
        return .engine(.tensor(try Tensor(shape: [rows, dims], data: result.projected)))
    }

    static let tsne = Builtin(
        "tsne", family: family,
        parameters: [
            Parameter("x", .either(.tensor, .list), doc: "an n x d matrix (features() or a list of rows)"),
            Parameter("perplexity", .number, default: .number(30), range: TSNE.Options.perplexityRange,
                      doc: "the effective number of neighbours, below the number of points"),
            Parameter("theta", .number, default: .number(0.5), range: TSNE.Options.thetaRange,
                      doc: "Barnes-Hut accuracy; 0 is the exact method"),
            Parameter("iterations", .integer, default: .number(1000), range: TSNE.Options.iterationRange,
                      doc: "gradient steps"),
            Parameter("init", .choice(["pca", "random"]), default: .string("pca"), doc: "initial positions"),
        ],
        returns: "tensor",
        summary: "t-SNE: a 2-D map of the rows that keeps near neighbours near.",
        paragraph: "Early exaggeration, momentum and gains as in van der Maaten's implementation; random choices "
            + "follow seed(). Interrupting stops the run and keeps the positions so far.",
        example: "points = tsne(codes, perplexity: 5)",
        lecture: "004 (t-SNE, Barnes-Hut)"
    ) { call in
        let (values, rows, columns) = try matrix(call, "x")
        let perplexity = try call.number("perplexity"), theta = try call.number("theta")
        let iterations = try call.integer("iterations")
        let needed = TSNE.pointsNeeded(perplexity: perplexity)
        guard rows >= needed else {
            let defaulted = call.isGiven("perplexity") ? "" : " (the default)"
            let advice = TSNE.suggestedPerplexity(points: rows).map { "give perplexity: \($0) or another number below \(rows)" }
                ?? "a map needs at least 3 points"
            throw call.error(call.isGiven("perplexity") ? "perplexity" : "x",
                             "perplexity \(NumberFormatting.format(perplexity))\(defaulted) needs at least \(needed) points, "
                             + "but x has \(rows)", hint: advice)
        }
        var options = TSNE.Options(perplexity: perplexity, theta: theta, iterations: iterations,
                                   initialization: try call.string("init") == "random" ? .random : .pca)
        options.seed = call.session.withRandom { $0.next() }
        let progress = call.session.startProgress("t-SNE")
        let output = call.session.output
        let result = try TSNE.embed(values, rows: rows, columns: columns, options: options,
                                    shouldStop: { output.isCancelled },
                                    progress: { iteration, _ in progress.report(step: iteration, total: iterations) })
        try call.session.checkCancelled()
        return .engine(.tensor(try Tensor(shape: [rows, 2], data: result.positions)))
    }

    static let dbscan = Builtin(
        "dbscan", family: family,
        parameters: [
            Parameter("points", .either(.tensor, .list), doc: "an n x d matrix, such as tsne() gives"),
            Parameter("eps", .number, range: DBSCAN.epsRange, doc: "the neighbourhood radius"),
            Parameter("min_points", .integer, default: .number(5), range: DBSCAN.minPointsRange,
                      doc: "neighbours a core point needs"),
        ],
        returns: "list",
        summary: "Density-based clusters: a label per row, -1 for noise.",
        paragraph: "Points with at least min_points neighbours within eps are cores; clusters grow from cores.",
        example: "labels = dbscan(points, 2.5, min_points: 4)",
        lecture: "004 (clustering the map)"
    ) { call in
        let (values, rows, columns) = try matrix(call, "points")
        let labels = try DBSCAN.cluster(values, rows: rows, columns: columns, eps: Float(try call.number("eps")),
                                        minPoints: try call.integer("min_points"))
        return .list(labels.map { .number(Double($0)) })
    }

    static let scatter = Builtin(
        "scatter", family: family,
        parameters: [
            Parameter("points", .either(.tensor, .list), doc: "an n x 2 matrix"),
            Parameter("labels", .list, default: Value.none, doc: "a whole-number label per point (colours and legend)"),
            Parameter("names", .list, default: Value.none, doc: "a name per label, for the legend"),
            Parameter("title", .string, default: .string("scatter"), doc: "the plot's title"),
            Parameter("legend", .string, default: .string("class"), doc: "the word before each label in the legend (\"cluster\" for dbscan labels)"),
        ],
        returns: "image",
        summary: "A scatter plot of 2-D points, coloured by label with a legend.",
        paragraph: "The usual way to look at a t-SNE or PCA map: one colour per class.",
        example: "scatter(points, labels: dbscan(points, 2.5), legend: \"cluster\")",
        lecture: "004 (t-SNE maps)"
    ) { call in
        let (values, _, columns) = try matrix(call, "points")
        guard columns == 2 else { throw call.error("points", "points must have 2 columns, got \(columns)") }
        let labels = call.value("labels").isNone ? [] : try call.integers("labels")
        let names: [String] = (call.value("names").elements ?? []).map(ValueText.printed)
        let title = try call.string("title")
        var plot = ScatterPlot(title: title, points: values, labels: labels, classNames: names)
        plot.labelWord = try call.string("legend")
        guard let canvas = plot.render() else {
            throw call.error("points", "nothing to plot (no finite points, or labels of the wrong length)")
        }
        return .engine(.picture(Picture(canvas: canvas, title: "scatter plot: \(title)", numbers: ([values.count / 2, 2], values))))
    }

    static let embedgrid = Builtin(
        "embedgrid", family: family,
        parameters: [
            Parameter("points", .either(.tensor, .list), doc: "an n x 2 matrix"),
            Parameter("images", .pictures, doc: "the n images, in the same order"),
            Parameter("cell", .integer, default: .number(48), range: EmbedGrid.cellSizeRange,
                      doc: "the side of each grid cell in pixels"),
        ],
        returns: "image",
        summary: "Images laid out on a grid by their 2-D positions, one image per cell.",
        paragraph: "Each image goes to a distinct cell near its point, as in the t-SNE grids of CNN codes.",
        example: "embedgrid(tsne(codes), photos)",
        lecture: "004 (t-SNE of CNN codes on a grid)"
    ) { call in
        let (values, rows, columns) = try matrix(call, "points")
        let pictures = try call.pictures("images")
        guard columns == 2, rows == pictures.count else {
            throw call.error("images", "needs one image per point: \(rows) points of \(columns) columns, \(pictures.count) images")
        }
        guard rows <= EmbedGrid.maximumPoints else {
            throw call.error("points", "\(rows) points are too many for one grid (at most \(EmbedGrid.maximumPoints))")
        }
        let canvas = try EmbedGrid.render(title: "embedding grid", points: values, pictures: pictures.map { Canvas(image: $0.image) },
                                          cellSize: try call.integer("cell"))
        return .engine(.picture(Picture(canvas: canvas, title: "embedding grid of \(rows) images")))
    }

    /// An n x d matrix from a tensor ([n, ...] flattened per row) or a rectangular list of rows, checked
    /// by the engine's one matrix rule (`EmbeddingInput`): every value finite once it is a 32-bit float
    /// (1e308 is not) and small enough to square, the error naming the argument, row and column.
    static func matrix(_ call: Invocation, _ name: String) throws -> ([Float], Int, Int) {
        let (values, rows, columns): ([Float], Int, Int)
        switch call.value(name) {
        case .engine(.tensor(let tensor)):
            guard let first = tensor.shape.first, first > 0, tensor.count > 0 else {
                throw call.error(name, "the matrix is empty")
            }
            (values, rows, columns) = (tensor.data, first, tensor.count / first)
        case let value:
            guard let (shape, numbers) = FileBuiltins.numbers(of: value), shape.count == 2, shape[0] > 0, shape[1] > 0 else {
                throw call.error(name, .type, "expected an n x d matrix: a tensor or a list of equal-length rows of numbers")
            }
            (values, rows, columns) = (numbers, shape[0], shape[1])
        }
        do {
            try EmbeddingInput.validate(values, rows: rows, columns: columns, method: call.builtin.name)
        } catch let error as EmbeddingError {
            throw call.error(name, "argument '\(name)' of \(error)")
        }
        return (values, rows, columns)
    }
}
