import Foundation

/// A Gaussian mixture over RGB colours with full 3x3 covariances: GrabCut's colour model of
/// the foreground and of the background.
///
/// Fitted by hard assignment as GrabCut does (C. Rother et al., SIGGRAPH 2004): k-means seeds
/// the components, then each refit assigns every pixel to its most likely component and
/// re-estimates weights, means and covariances from those members.
struct ColorMixtureModel {
    struct Component {
        var weight: Double
        var mean: SIMD3<Double>
        /// Rows of the inverse covariance.
        var inverse: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)
        /// log(weight) - 0.5 * log(det(2 pi covariance)).
        var logScale: Double

        /// log(weight * N(color; mean, covariance)).
        @inline(__always)
        func logDensity(_ color: SIMD3<Double>) -> Double {
            let d = color - mean
            let mahalanobis = (d * SIMD3(
                (inverse.0 * d).sum(), (inverse.1 * d).sum(), (inverse.2 * d).sum())).sum()
            return logScale - 0.5 * mahalanobis
        }
    }

    var components: [Component]

    /// Added to the covariance diagonal: keeps a flat region (one exact colour) from giving a
    /// singular covariance, at a scale far below visible colour differences in 0...1.
    static let regularization = 1e-4

    /// -log p(color) under the mixture (log-sum-exp for stability).
    func negativeLogLikelihood(_ color: SIMD3<Double>) -> Double {
        let logs = components.map { $0.logDensity(color) }
        guard let top = logs.max() else { return 0 }
        let total = logs.reduce(0) { $0 + Foundation.exp($1 - top) }
        return -(top + Foundation.log(total))
    }

    func mostLikelyComponent(_ color: SIMD3<Double>) -> Int {
        var best = 0
        var bestValue = -Double.infinity
        for (index, component) in components.enumerated() {
            let value = component.logDensity(color)
            if value > bestValue { best = index; bestValue = value }
        }
        return best
    }

    /// Fits a new model with `count` components: k-means++ seeding (seeded), a few Lloyd steps,
    /// then Gaussian estimates from the clusters. Empty clusters are dropped.
    static func fit(colors: [SIMD3<Double>], count: Int, random: inout SeededRandom) -> ColorMixtureModel {
        guard !colors.isEmpty else { return ColorMixtureModel(components: []) }
        var centres = [colors[random.integer(in: 0..<colors.count)]]
        var nearest = colors.map { squaredLength($0 - centres[0]) }
        while centres.count < count {
            let total = nearest.reduce(0, +)
            guard total > 0 else { break }
            var target = Double(random.uniform()) * total
            var chosen = colors.count - 1
            for (index, value) in nearest.enumerated() {
                target -= value
                if target <= 0 { chosen = index; break }
            }
            centres.append(colors[chosen])
            for index in colors.indices {
                nearest[index] = Swift.min(nearest[index], squaredLength(colors[index] - centres[centres.count - 1]))
            }
        }
        var assignment = [Int](repeating: 0, count: colors.count)
        for _ in 0..<5 {
            for index in colors.indices {
                var best = 0
                for centre in centres.indices where squaredLength(colors[index] - centres[centre])
                    < squaredLength(colors[index] - centres[best]) { best = centre }
                assignment[index] = best
            }
            var sums = [SIMD3<Double>](repeating: .zero, count: centres.count)
            var counts = [Int](repeating: 0, count: centres.count)
            for index in colors.indices {
                sums[assignment[index]] += colors[index]
                counts[assignment[index]] += 1
            }
            for centre in centres.indices where counts[centre] > 0 { centres[centre] = sums[centre] / Double(counts[centre]) }
        }
        return estimate(colors: colors, assignment: assignment, count: centres.count)
    }

    /// Refits with the current components: hard assignment to the most likely one, then estimates.
    func refit(colors: [SIMD3<Double>]) -> ColorMixtureModel {
        guard !components.isEmpty, !colors.isEmpty else { return self }
        let assignment = colors.map { mostLikelyComponent($0) }
        return ColorMixtureModel.estimate(colors: colors, assignment: assignment, count: components.count)
    }

    /// Maximum-likelihood Gaussian per cluster; weight = share of the colours.
    static func estimate(colors: [SIMD3<Double>], assignment: [Int], count: Int) -> ColorMixtureModel {
        var counts = [Double](repeating: 0, count: count)
        var sums = [SIMD3<Double>](repeating: .zero, count: count)
        var products = [[Double]](repeating: [Double](repeating: 0, count: 9), count: count)
        for (color, cluster) in zip(colors, assignment) {
            counts[cluster] += 1
            sums[cluster] += color
            for row in 0..<3 { for column in 0..<3 { products[cluster][row * 3 + column] += color[row] * color[column] } }
        }
        var components: [Component] = []
        for cluster in 0..<count where counts[cluster] > 0 {
            let n = counts[cluster]
            let mean = sums[cluster] / n
            var c = [Double](repeating: 0, count: 9)
            for row in 0..<3 {
                for column in 0..<3 { c[row * 3 + column] = products[cluster][row * 3 + column] / n - mean[row] * mean[column] }
                c[row * 4] += regularization
            }
            let cofactors = [
                c[4] * c[8] - c[5] * c[7], c[2] * c[7] - c[1] * c[8], c[1] * c[5] - c[2] * c[4],
                c[5] * c[6] - c[3] * c[8], c[0] * c[8] - c[2] * c[6], c[2] * c[3] - c[0] * c[5],
                c[3] * c[7] - c[4] * c[6], c[1] * c[6] - c[0] * c[7], c[0] * c[4] - c[1] * c[3],
            ]
            let determinant = c[0] * cofactors[0] + c[1] * cofactors[3] + c[2] * cofactors[6]
            guard determinant > 0 else { continue }
            let inverse = cofactors.map { $0 / determinant }
            let logScale = Foundation.log(n / Double(colors.count))
                - 0.5 * (3 * Foundation.log(2 * Double.pi) + Foundation.log(determinant))
            components.append(Component(
                weight: n / Double(colors.count), mean: mean,
                inverse: (SIMD3(inverse[0], inverse[1], inverse[2]), SIMD3(inverse[3], inverse[4], inverse[5]),
                          SIMD3(inverse[6], inverse[7], inverse[8])),
                logScale: logScale))
        }
        return ColorMixtureModel(components: components)
    }

    static func squaredLength(_ v: SIMD3<Double>) -> Double { (v * v).sum() }
}

