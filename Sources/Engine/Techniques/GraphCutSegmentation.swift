import Foundation

/// Foreground segmentation from a saliency map by iterated graph cuts (GrabCut-like).
///
/// Lecture 003 ("Saliency maps: segmentation without supervision: use GrabCut on the saliency
/// map"), after Simonyan et al. 2014: the most salient pixels seed the foreground, the least
/// salient ones and the image border seed the background; colour models learned from the seeds
/// label the remaining pixels through a minimum cut that also prefers smooth boundaries, and
/// the models are refitted from the new labelling until it settles.
public enum GraphCutSegmentation {
    public struct Options: Sendable {
        /// Pixels with saliency at or above this quantile are certain foreground.
        public var foregroundQuantile: Float = 0.95
        /// Pixels with saliency at or below this quantile are certain background.
        public var backgroundQuantile: Float = 0.30
        /// Width of the border counted as background; nil means 2% of the shorter side (at least 1).
        public var borderWidth: Int? = nil
        /// Gaussian components per colour model (GrabCut uses 5).
        public var components: Int = 5
        /// Weight of the boundary term (GrabCut's gamma = 50).
        public var smoothness: Float = 50
        /// Maximum rounds of (refit colour models, cut).
        public var iterations: Int = 5
        /// Seed of the k-means++ initialisation of the colour models.
        public var seed: UInt64 = 0
        /// Standard deviation, in image pixels, of the Gaussian that smooths the saliency map
        /// before its quantiles are taken; nil means 1.5% of the shorter side, 0 none.
        public var blur: Float? = nil
        /// GrabCut's rectangle: outside it is background, and the first foreground colour model
        /// is fitted to everything inside it. nil: the low-saliency pixels seed the background.
        public var box: SegmentationBox? = nil
        public init() {}
    }

    /// Segments an image given as HWC values in 0...1 (1 or 3 channels). The saliency map has the
    /// image's size (see `segment(image:saliency:region:)` for maps of a network's input); NaN marks
    /// pixels it never measured, which seed neither side. `progress(round, rounds)` is called
    /// after every cut.
    public static func segment(pixels: [Float], height: Int, width: Int, channels: Int, saliency: ScalarMap,
                               options: Options = Options(),
                               progress: ((Int, Int) -> Void)? = nil) throws -> SegmentationResult {
        guard channels == 1 || channels == 3, height > 0, width > 0, pixels.count == height * width * channels else {
            throw EngineError.shapeMismatch("segment: image of \(height) x \(width) x \(channels) needs \(height * width * channels) values, got \(pixels.count)")
        }
        guard options.backgroundQuantile >= 0, options.foregroundQuantile <= 1,
              options.backgroundQuantile < options.foregroundQuantile else {
            throw EngineError.invalid("segment: background quantile \(options.backgroundQuantile) must be below foreground quantile \(options.foregroundQuantile), both in 0...1")
        }
        guard options.components >= 1, options.iterations >= 1, options.smoothness >= 0, (options.blur ?? 0) >= 0 else {
            throw EngineError.invalid("segment: components and iterations must be >= 1, smoothness and blur >= 0")
        }
        guard saliency.height == height, saliency.width == width else {
            throw EngineError.shapeMismatch("segment: the saliency map is \(saliency.height) x \(saliency.width), the image \(height) x \(width)")
        }
        let count = height * width
        let colors = colorVectors(pixels: pixels, count: count, channels: channels)
        let seeds = try SegmentationSeeds(saliency: saliency, options: options)
        let boundary = boundaryWeights(colors: colors, height: height, width: width, smoothness: options.smoothness)
        // A hard seed's terminal weight exceeds anything its four boundary edges could pay.
        let hard = 4 * options.smoothness + 1_000

        var random = SeededRandom(seed: options.seed)
        var foregroundModel = ColorMixtureModel.fit(colors: seeds.initialForegroundColors(colors, width: width),
                                                    count: options.components, random: &random)
        var backgroundModel = ColorMixtureModel.fit(colors: seeds.colors(colors, of: .background),
                                                    count: options.components, random: &random)
        var labels = [Bool](repeating: false, count: count)
        var rounds = 0
        var energy = 0.0
        for round in 1...options.iterations {
            try Cancellation.check()
            var graph = try GridMaxFlow(height: height, width: width)
            for node in 0..<count {
                let (y, x) = (node / width, node % width)
                switch seeds.kind[node] {
                case .foreground: graph.setTerminal(y: y, x: x, source: hard, sink: 0)
                case .background: graph.setTerminal(y: y, x: x, source: 0, sink: hard)
                case .unknown:
                    // Cutting the source edge labels the pixel background: it costs -log p_bg.
                    graph.setTerminal(y: y, x: x,
                                      source: Float(backgroundModel.negativeLogLikelihood(colors[node])),
                                      sink: Float(foregroundModel.negativeLogLikelihood(colors[node])))
                }
                graph.setNeighbour(y: y, x: x, towardsRight: true, capacity: boundary.right[node])
                graph.setNeighbour(y: y, x: x, towardsRight: false, capacity: boundary.down[node])
            }
            let newLabels = try graph.solve()
            energy = graph.flow
            rounds = round
            progress?(round, options.iterations)
            let settled = newLabels == labels
            labels = newLabels
            if settled { break }
            let foreground = labels.indices.filter { labels[$0] }.map { colors[$0] }
            let background = labels.indices.filter { !labels[$0] }.map { colors[$0] }
            if !foreground.isEmpty { foregroundModel = foregroundModel.refit(colors: foreground) }
            if !background.isEmpty { backgroundModel = backgroundModel.refit(colors: background) }
        }
        let mask = try ScalarMap(height: height, width: width, values: labels.map { $0 ? 1 : 0 })
        return SegmentationResult(mask: mask, foregroundSeeds: seeds.count(of: .foreground),
                                  backgroundSeeds: seeds.count(of: .background), rounds: rounds, cutEnergy: energy,
                                  box: seeds.box.map { ($0.columns.lowerBound, $0.rows.lowerBound, $0.columns.count, $0.rows.count) })
    }

    /// One RGB vector per pixel (gray repeated three times).
    static func colorVectors(pixels: [Float], count: Int, channels: Int) -> [SIMD3<Double>] {
        var colors = [SIMD3<Double>](repeating: .zero, count: count)
        for index in 0..<count {
            if channels == 3 {
                let red = Double(pixels[3 * index])
                let green = Double(pixels[3 * index + 1])
                let blue = Double(pixels[3 * index + 2])
                colors[index] = SIMD3(red, green, blue)
            } else {
                colors[index] = SIMD3(repeating: Double(pixels[index]))
            }
        }
        return colors
    }

    /// GrabCut's contrast-sensitive boundary weights gamma * exp(-beta |z_i - z_j|^2), with
    /// beta = 1 / (2 <|z_i - z_j|^2>) so the term adapts to the image's overall contrast.
    static func boundaryWeights(colors: [SIMD3<Double>], height: Int, width: Int,
                                smoothness: Float) -> (right: [Float], down: [Float]) {
        let count = height * width
        var right = [Float](repeating: 0, count: count)
        var down = [Float](repeating: 0, count: count)
        var differences = [Double](repeating: 0, count: 2 * count)
        var total = 0.0
        var pairs = 0
        for node in 0..<count {
            let (y, x) = (node / width, node % width)
            if x + 1 < width {
                differences[2 * node] = ColorMixtureModel.squaredLength(colors[node] - colors[node + 1])
                total += differences[2 * node]; pairs += 1
            }
            if y + 1 < height {
                differences[2 * node + 1] = ColorMixtureModel.squaredLength(colors[node] - colors[node + width])
                total += differences[2 * node + 1]; pairs += 1
            }
        }
        let beta = total > 0 ? Double(pairs) / (2 * total) : 0
        for node in 0..<count {
            right[node] = smoothness * Float(exp(-beta * differences[2 * node]))
            down[node] = smoothness * Float(exp(-beta * differences[2 * node + 1]))
        }
        return (right, down)
    }
}

extension GraphCutSegmentation {
    /// Segments an `Image` (1 or 3 channels) with a saliency map laid where it was measured.
    ///
    /// `region` is the rectangle of the image (or of the same photo at another resolution) that
    /// the map covers, as `InputRegion.measure` gives it for a network's centre crop; the map is
    /// placed there and the pixels outside seed nothing. Without a region the map must cover the
    /// whole image: its aspect ratio must be the image's, since stretching it would move the
    /// seeds off the object.
    public static func segment(image: Image, saliency: ScalarMap, region: InputRegion? = nil, options: Options = Options(),
                               progress: TechniqueProgress? = nil) throws -> SegmentationResult {
        try segment(pixels: image.pixels, height: image.height, width: image.width, channels: image.channels,
                    saliency: try placed(saliency, region: region, width: image.width, height: image.height),
                    options: options, progress: progress)
    }

    /// `saliency` laid on the pixel grid of a `width` x `height` image: placed on `region` (scaled
    /// to this resolution of its photo), or spread over the whole image when there is no region
    /// and the aspect ratios agree. Throws `EngineError.invalid` when neither holds.
    public static func placed(_ saliency: ScalarMap, region: InputRegion?, width: Int, height: Int) throws -> ScalarMap {
        let covered = region ?? .whole(width: saliency.width, height: saliency.height)
        guard let onImage = covered.scaled(toWidth: width, height: height) else {
            let source = "\(covered.sourceWidth)x\(covered.sourceHeight)"
            throw EngineError.invalid(region == nil
                ? "a \(source) map does not say where it lies on a \(width)x\(height) image; stretched over it, its bright spots would move"
                : "the map was computed on a \(source) image, not on this \(width)x\(height) one")
        }
        return onImage.place(saliency)
    }
}
