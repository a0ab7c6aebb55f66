import Foundation

/// Multifaceted feature visualization (Nguyen, Yosinski and Clune 2016, "Multifaceted Feature
/// Visualization", lecture 004): one unit responds to several kinds of image (a grocery store's
/// bell peppers, single peppers, peppers on a plant), and one visualization blends them. The
/// facets are found in data: take the images that most activate the unit, embed their codes at a
/// layer with t-SNE, cluster the map with k-means into `count` facets, and start each facet's
/// optimization from the mean of the (up to) 15 images nearest its centroid, so each run climbs
/// towards its own facet.
public enum Facets {
    public struct Options: Sendable {
        public static let countRange = NumberRange.closed(1, 16)
        public var count = 4
        /// How many of the most activating images are embedded (all when fewer are given).
        public var top = 200
        /// The paper's 15 nearest images per centroid.
        public var nearest = 15
        /// Each facet's visualization (start and seed are set per facet).
        public var visualization = ClassVisualization.Options()
        /// t-SNE iterations; the other t-SNE settings are scikit-learn's, perplexity capped for few images.
        public var tsneIterations = 1000
        public var seed: UInt64 = 0
        public init(count: Int = 4, steps: Int = 200, seed: UInt64 = 0) {
            self.count = count
            self.seed = seed
            visualization.steps = steps
        }
    }

    public struct Facet {
        /// Indices into the images given, nearest to the centroid first (at most `nearest`).
        public let nearest: [Int]
        /// Every image of the cluster (indices into the images given).
        public let members: [Int]
        /// The mean of the `nearest` images as the network sees them (input size, 0 to 1).
        public let start: Image
        public let result: SynthesisResult
    }

    public struct Result {
        public let objective: String
        public let codeLayer: String
        public let facets: [Facet]
        /// The embedded images (indices into the images given), with their t-SNE positions (n x 2).
        public let embedded: [Int]
        public let positions: [Float]
        public let interrupted: Bool
    }

    /// The layer whose codes are embedded: the unit's own layer, or for a class the layer that
    /// feeds the output (Nguyen et al. embed fc7 codes, the layer before the class scores).
    public static func codeLayer(for objective: SynthesisObjective, network: Network) throws -> String {
        switch objective {
        case .channel(let layer, _), .neuron(let layer, _, _, _), .layerNorm(let layer): return layer
        case .classScore, .classProbability:
            let layers = network.layers
            guard layers.count >= 2 else { throw EngineError.invalid("facets: \(network.name) has no layer below its output to embed") }
            return layers[layers.count - 2].name
        }
    }

    /// Runs the whole method; `progress(step, total, image, objective)` counts steps over all facets.
    /// - Throws: `EngineError` for too few images (t-SNE needs 3, and one per facet) or a bad unit.
    public static func run(network: Network, objective: SynthesisObjective, images: [Image], options: Options = Options(),
                           progress: ClassVisualization.ObjectiveProgress? = nil) throws -> Result {
        try Options.countRange.check(options.count, "count", in: "facets")
        let layer = try codeLayer(for: objective, network: network)
        let needed = Swift.max(3, options.count)
        guard images.count >= needed else {
            throw EngineError.invalid("facets: \(options.count) facets need at least \(needed) images, got \(images.count)")
        }
        // The images as the network sees them, each unit's value, and its code.
        var seen: [Image] = [], values: [Float] = [], codes: [[Float]] = []
        for image in images {
            try Cancellation.check()
            let input = try network.preprocess(image)
            seen.append(try network.deprocess(input))
            let evaluation = try objective.evaluate(network: network, input: input)
            input.releaseGraph()
            let (output, activations) = try network.forward(try network.preprocess(image), capture: [layer], until: layer)
            let code = activations[layer] ?? output
            values.append(evaluation.value)
            codes.append(Array(code.data.prefix(code.count)))
        }
        let chosen = Array(values.indices.sorted { (values[$0], -$0) > (values[$1], -$1) }.prefix(Swift.max(needed, options.top)))
        let columns = codes[0].count
        var tsneOptions = TSNE.Options(perplexity: Swift.max(1, Swift.min(30, Double(chosen.count - 1) / 3)), theta: 0,
                                       iterations: options.tsneIterations, seed: options.seed)
        tsneOptions.progressInterval = options.tsneIterations
        let embedding = try TSNE.embed(chosen.flatMap { codes[$0] }, rows: chosen.count, columns: columns, options: tsneOptions)
        let clusters = try KMeans.cluster(embedding.positions, rows: chosen.count, columns: 2, k: options.count, seed: options.seed)
        var facets: [Facet] = []
        var interrupted = false
        let total = options.count * options.visualization.steps
        for cluster in 0..<options.count {
            let rows = chosen.indices.filter { clusters.assignments[$0] == cluster }
            func distance(_ row: Int) -> Float {
                let dx = embedding.positions[2 * row] - clusters.centroids[2 * cluster]
                let dy = embedding.positions[2 * row + 1] - clusters.centroids[2 * cluster + 1]
                return dx * dx + dy * dy
            }
            let nearest = rows.sorted { (distance($0), $0) < (distance($1), $1) }.prefix(options.nearest).map { chosen[$0] }
            let start = try meanImage(nearest.map { seen[$0] })
            var visualization = options.visualization
            visualization.start = .image(start)
            visualization.seed = options.seed &+ UInt64(cluster + 1)
            let done = cluster * options.visualization.steps
            let result = try ClassVisualization.run(network: network, objective: objective, options: visualization) { step, _, image, value in
                progress?(done + step, total, image, value)
            }
            facets.append(Facet(nearest: nearest, members: rows.map { chosen[$0] }, start: start, result: result))
            if result.interrupted { interrupted = true; break }
        }
        return Result(objective: objective.label(network), codeLayer: layer, facets: facets, embedded: chosen,
                      positions: embedding.positions, interrupted: interrupted)
    }

    /// The pixel-wise mean of images of one size, summed in order in single precision.
    /// - Throws: `EngineError.invalid` for no images or images of different sizes.
    static func meanImage(_ images: [Image]) throws -> Image {
        guard let first = images.first else { throw EngineError.invalid("facets: a facet with no images has no mean") }
        var sum = [Float](repeating: 0, count: first.pixels.count)
        for image in images {
            guard image.pixels.count == sum.count else { throw EngineError.invalid("facets: images of different sizes cannot be averaged") }
            for index in sum.indices { sum[index] += image.pixels[index] }
        }
        let scale = 1 / Float(images.count)
        return try Image(width: first.width, height: first.height, channels: first.channels, pixels: sum.map { $0 * scale })
    }
}

extension Facets.Result {
    /// One row per facet: its start (the mean image), its visualization, and up to 6 of its nearest images.
    public func render(images: [Image], tileSize: Int = 112) -> Canvas {
        var tiles: [Canvas] = [], labels: [String] = []
        for (index, facet) in facets.enumerated() {
            tiles += [Canvas(image: facet.start), Canvas(image: facet.result.image)]
            labels += ["facet \(index + 1) start (mean of \(facet.nearest.count))", "facet \(index + 1): \(NumberLabel.format(facet.result.finalScore))"]
            let shown = facet.nearest.prefix(6)
            for member in 0..<6 {
                tiles.append(member < shown.count ? Canvas(image: images[shown[shown.startIndex + member]]) : Canvas(width: 8, height: 8))
                labels.append(member < shown.count ? "image \(shown[shown.startIndex + member])" : "")
            }
        }
        let grid = TileGrid(title: "facets of \(objective)", tiles: tiles, labels: labels, columns: 8, tileSize: tileSize)
        return SynthesisPanels.stacked(grid, over: nil, curve: nil,
                                       caption: "t-SNE of \(embedded.count) top images' \(codeLayer) codes, k-means into \(facets.count) facets"
                                           + (interrupted ? " (stopped)" : "") + "; each row: start, visualization, nearest images")
    }
}
