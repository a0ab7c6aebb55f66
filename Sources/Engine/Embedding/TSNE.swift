import Foundation

/// t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008) into 2-D, exact
/// or with the Barnes-Hut approximation (van der Maaten 2013), following scikit-learn's recipe so
/// results can be compared with it: perplexity-calibrated P on 3 x perplexity nearest neighbours
/// (all points when exact), early exaggeration 12 for 250 iterations with momentum 0.5, then
/// momentum 0.8, per-coordinate gains (+0.2 / x0.8, floor 0.01), learning rate max(n / 12 / 4, 50).
/// Unlike scikit-learn it always runs every iteration (no early stop), so a seed fixes the bytes.
public enum TSNE {
    /// How the starting positions are chosen.
    public enum Initialization: Equatable, Sendable {
        /// The first two principal components, scaled so the first has standard deviation 1e-4.
        case pca
        /// Independent normals with standard deviation 1e-4 from the seeded generator.
        case random
    }

    /// The most points the exact method (theta 0) accepts.
    public static let exactPointLimit = 3000

    public struct Options: Equatable, Sendable {
        /// Perplexity: at least one neighbour; it must also stay below the number of points (`pointsNeeded`).
        public static let perplexityRange = NumberRange.atLeast(1)
        /// 0 is exact; van der Maaten's Barnes-Hut is meaningful up to an opening angle of 1.
        public static let thetaRange = NumberRange.closed(0, 1)
        /// Gradient steps: at least one, and a bound that keeps a cell's run within minutes.
        public static let iterationRange = NumberRange.closed(1, 100_000)

        public var perplexity: Double = 30
        /// 0 selects the exact method; otherwise the Barnes-Hut opening angle (0.5 is standard).
        public var theta: Double = 0.5
        public var iterations: Int = 1000
        public var earlyExaggeration: Double = 12
        public var exaggerationIterations: Int = 250
        /// nil means scikit-learn's "auto": max(n / earlyExaggeration / 4, 50).
        public var learningRate: Double?
        public var initialization: Initialization = .pca
        public var seed: UInt64 = 0
        /// How often (in iterations) the progress callback is called.
        public var progressInterval: Int = 50

        public init(perplexity: Double = 30, theta: Double = 0.5, iterations: Int = 1000,
                    initialization: Initialization = .pca, seed: UInt64 = 0) {
            self.perplexity = perplexity
            self.theta = theta
            self.iterations = iterations
            self.initialization = initialization
            self.seed = seed
        }
    }

    public struct Result: Sendable {
        /// n x 2 row-major.
        public var positions: [Float]
        /// KL(P || Q) of the final positions, with the exact normaliser when n <= 20,000.
        public var klDivergence: Double
        public var iterationsRun: Int
        /// True when `shouldStop` ended the run early.
        public var stopped: Bool
    }

    /// Embeds the rows of `points` (rows x columns, row-major) in 2-D.
    /// `progress(iteration, positions)` is called every `progressInterval` iterations;
    /// `shouldStop` and `Cancellation` are polled every iteration and end the run with the current positions;
    /// an interrupt before the optimisation (neighbour search, calibration) throws `EngineError.cancelled`.
    public static func embed(_ points: [Float], rows: Int, columns: Int, options: Options = Options(),
                             shouldStop: () -> Bool = { false },
                             progress: ((Int, [Float]) -> Void)? = nil) throws -> Result {
        try validate(points, rows: rows, columns: columns, options: options)
        let neighbourCount = options.theta == 0 ? rows - 1 : min(rows - 1, Int(3 * options.perplexity + 1))
        let affinities = try SparseAffinities.compute(points: points, rows: rows, columns: columns,
                                                  perplexity: options.perplexity, neighbourCount: neighbourCount)
        let start = try initialPositions(points, rows: rows, columns: columns, options: options)
        return optimise(affinities: affinities, start: start, options: options,
                        shouldStop: shouldStop, progress: progress)
    }

    static func validate(_ points: [Float], rows: Int, columns: Int, options: Options) throws {
        try EmbeddingInput.validate(points, rows: rows, columns: columns, method: "tsne")
        // The ranges come first: a NaN or infinite perplexity must never reach an integer conversion.
        guard Options.perplexityRange.contains(options.perplexity) else {
            throw EmbeddingError.invalidParameter(method: "tsne", name: "perplexity", value: "\(options.perplexity)",
                                                  expected: Options.perplexityRange.description)
        }
        guard Options.thetaRange.contains(options.theta) else {
            throw EmbeddingError.invalidParameter(method: "tsne", name: "theta", value: "\(options.theta)",
                                                  expected: Options.thetaRange.description)
        }
        guard Options.iterationRange.contains(options.iterations) else {
            throw EmbeddingError.invalidParameter(method: "tsne", name: "iterations", value: "\(options.iterations)",
                                                  expected: Options.iterationRange.description)
        }
        guard options.exaggerationIterations >= 0, options.progressInterval >= 1,
              options.earlyExaggeration.isFinite, options.earlyExaggeration > 0 else {
            throw EmbeddingError.invalidParameter(method: "tsne", name: "exaggeration",
                                                  value: "\(options.earlyExaggeration) for \(options.exaggerationIterations) iterations",
                                                  expected: "a positive factor for a non-negative count, progress every 1 or more")
        }
        if let rate = options.learningRate, !(rate > 0 && rate.isFinite) {
            throw EmbeddingError.invalidParameter(method: "tsne", name: "learning_rate", value: "\(rate)",
                                                  expected: "a positive number")
        }
        let needed = pointsNeeded(perplexity: options.perplexity)
        guard rows >= needed else {
            throw EmbeddingError.perplexityTooLarge(perplexity: options.perplexity, needed: needed, got: rows,
                                                    suggested: suggestedPerplexity(points: rows))
        }
        // NOTE: exact t-SNE keeps all n^2 affinities; past a few thousand points that is gigabytes.
        guard options.theta > 0 || rows <= exactPointLimit else {
            throw EmbeddingError.invalidParameter(method: "tsne", name: "theta", value: "0",
                                                  expected: "theta > 0 (Barnes-Hut) for more than \(exactPointLimit) points; "
                                                      + "exact t-SNE is O(n^2) in time and memory")
        }
    }

    /// The fewest points t-SNE accepts at `perplexity` (finite, in `Options.perplexityRange`): the
    /// perplexity must stay below the number of points (scikit-learn's rule), and the map needs 3.
    public static func pointsNeeded(perplexity: Double) -> Int {
        max(Int(min(perplexity, 1e9).rounded(.down)) + 1, 3)
    }

    /// A perplexity that suits `points` points: a third of the other points, so that the 3 x perplexity
    /// neighbours calibrated around each point are all there; nil below the 3 points any map needs.
    public static func suggestedPerplexity(points: Int) -> Int? {
        guard points >= 3 else { return nil }
        return max(1, (points - 1) / 3)
    }

    static func initialPositions(_ points: [Float], rows: Int, columns: Int, options: Options) throws -> [Double] {
        switch options.initialization {
        case .pca where columns >= 2:
            let projected = try PCA.fit(points, rows: rows, columns: columns, dims: 2).projected.map(Double.init)
            var mean = 0.0
            for i in 0..<rows { mean += projected[2 * i] }
            mean /= Double(rows)
            var variance = 0.0
            for i in 0..<rows { variance += (projected[2 * i] - mean) * (projected[2 * i] - mean) }
            let deviation = (variance / Double(rows)).squareRoot()
            // NOTE: identical points give deviation 0; fall through to the unscaled (zero) projection.
            let scale = deviation > 0 ? 1e-4 / deviation : 1
            return projected.map { $0 * scale }
        default:
            var random = SeededRandom(seed: options.seed)
            return (0..<(2 * rows)).map { _ in 1e-4 * Double(random.normal()) }
        }
    }

    /// Gradient descent with momentum and gains on fixed affinities.
    static func optimise(affinities: SparseAffinities, start: [Double], options: Options,
                         shouldStop: () -> Bool, progress: ((Int, [Float]) -> Void)?) -> Result {
        let n = affinities.pointCount
        let gradientModel = TSNEGradient(affinities: affinities, theta: options.theta)
        let rate = options.learningRate ?? max(Double(n) / options.earlyExaggeration / 4, 50)
        var positions = start
        var update = [Double](repeating: 0, count: 2 * n)
        var gains = [Double](repeating: 1, count: 2 * n)
        var gradient = [Double](repeating: 0, count: 2 * n)
        var lastZ = 1.0
        var iteration = 0
        var stopped = false
        while iteration < options.iterations {
            // An interrupt (Cancellation) ends the run like `shouldStop`: the positions so far are kept.
            if shouldStop() || Cancellation.current?() == true { stopped = true; break }
            let exaggerating = iteration < options.exaggerationIterations
            let momentum = exaggerating ? 0.5 : 0.8
            lastZ = gradientModel.evaluate(positions: positions, exaggeration: exaggerating ? options.earlyExaggeration : 1,
                                           gradient: &gradient)
            for index in 0..<(2 * n) {
                // Gains grow where the gradient keeps its sign against the update, shrink where it flips.
                if update[index] * gradient[index] < 0 {
                    gains[index] += 0.2
                } else {
                    gains[index] = max(gains[index] * 0.8, 0.01)
                }
                update[index] = momentum * update[index] - rate * gains[index] * gradient[index]
                positions[index] += update[index]
            }
            iteration += 1
            if let progress, iteration % options.progressInterval == 0 { progress(iteration, positions.map(Float.init)) }
        }
        let z = n <= 20_000 || options.theta == 0 || iteration == 0
            ? gradientModel.exactNormaliser(positions: positions) : lastZ
        return Result(positions: positions.map(Float.init),
                      klDivergence: gradientModel.klDivergence(positions: positions, z: z),
                      iterationsRun: iteration, stopped: stopped)
    }
}
