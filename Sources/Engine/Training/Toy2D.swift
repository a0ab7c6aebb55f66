import Foundation

/// TensorFlow Playground's 2-D classification sets (github.com/tensorflow/playground, src/dataset.ts),
/// and scikit-learn's two moons, as `LabeledDataset`s of [2] examples.
///
/// Units: the Playground draws its points in [-6, 6]^2; here every coordinate is divided by 6, so the
/// points lie in about [-1, 1]^2 (what a tanh MLP takes without rescaling). Playground label +1 is
/// class 0 and -1 is class 1. `noise` is the Playground's slider over 100 (0 ... 0.5).
/// The examples are shuffled (the Playground shuffles too) so a batch mixes the classes.
public enum Toy2D {
    public enum Kind: String, CaseIterable, Sendable { case spiral, circles, xor, clusters, moons }

    /// The Playground's data radius: coordinates are divided by it.
    static let playgroundScale: Float = 6

    /// `count` points of `kind` with `noise` (0...0.5), `classes` clusters for .clusters (2...10;
    /// others have 2), drawn from `SeededRandom(seed)` so the same seed gives the same bytes.
    /// Throws `EngineError.invalid` for a count below 2 or above 1,000,000, noise outside 0...0.5
    /// or a cluster count outside 2...10.
    public static func make(_ kind: Kind, count: Int, noise: Float, seed: UInt64, classes: Int = 2) throws -> LabeledDataset {
        guard (2...1_000_000).contains(count) else { throw EngineError.invalid("toy2d: count must be 2 to 1,000,000, got \(count)") }
        guard noise >= 0, noise <= 0.5 else { throw EngineError.invalid("toy2d: noise must be 0 to 0.5, got \(noise)") }
        guard (2...10).contains(classes) else { throw EngineError.invalid("toy2d: clusters must be 2 to 10 classes, got \(classes)") }
        var random = SeededRandom(seed: seed)
        var points: [(x: Float, y: Float, label: Int)]
        switch kind {
        case .spiral: points = spiral(count, noise, &random)
        case .circles: points = circles(count, noise, &random)
        case .xor: points = xor(count, noise, &random)
        case .clusters: points = clusters(count, noise, classes, &random)
        case .moons: points = moons(count, noise, &random)
        }
        for position in stride(from: points.count - 1, to: 0, by: -1) {
            points.swapAt(position, random.integer(in: 0..<(position + 1)))
        }
        let classCount = kind == .clusters ? classes : 2
        return try LabeledDataset(name: "toy2d \(kind.rawValue)", sampleShape: [2],
                                  inputs: points.flatMap { [$0.x, $0.y] },
                                  targets: .classes(labels: points.map(\.label), names: (0..<classCount).map(String.init)))
    }

    /// Two interleaved spirals: point i of n has radius 5 i / n and angle 1.75 * 2π i / n (+ π for
    /// the second arm), each coordinate moved by uniform(-1, 1) * noise (Playground units).
    static func spiral(_ count: Int, _ noise: Float, _ random: inout SeededRandom) -> [(x: Float, y: Float, label: Int)] {
        var points: [(x: Float, y: Float, label: Int)] = []
        let halves = [(count + 1) / 2, count / 2]
        for (label, n) in halves.enumerated() {
            let delta = Float(label) * Float.pi
            for i in 0..<n {
                let r = Float(i) / Float(n) * 5
                let t = 1.75 * Float(i) / Float(n) * 2 * Float.pi + delta
                let x = r * sin(t) + random.uniform(-1, 1) * noise
                let y = r * cos(t) + random.uniform(-1, 1) * noise
                points.append((x / playgroundScale, y / playgroundScale, label))
            }
        }
        return points
    }

    /// A disc of radius 2.5 (class 0) inside a ring from 3.5 to 5 (class 1); each label is the
    /// side of radius 2.5 that the point moved by uniform(-5, 5) * noise falls on (the point itself is kept).
    static func circles(_ count: Int, _ noise: Float, _ random: inout SeededRandom) -> [(x: Float, y: Float, label: Int)] {
        let radius: Float = 5
        var points: [(x: Float, y: Float, label: Int)] = []
        for (inside, n) in [(true, (count + 1) / 2), (false, count / 2)] {
            for _ in 0..<n {
                let r = inside ? random.uniform(0, radius * 0.5) : random.uniform(radius * 0.7, radius)
                let angle = random.uniform(0, 2 * Float.pi)
                let x = r * sin(angle), y = r * cos(angle)
                let nx = random.uniform(-radius, radius) * noise, ny = random.uniform(-radius, radius) * noise
                let label = ((x + nx) * (x + nx) + (y + ny) * (y + ny)).squareRoot() < radius * 0.5 ? 0 : 1
                points.append((x / playgroundScale, y / playgroundScale, label))
            }
        }
        return points
    }

    /// Uniform points in [-5, 5]^2 pushed 0.3 away from the axes; class 0 where x y >= 0 after
    /// moving the point by uniform(-5, 5) * noise (the point itself is kept).
    static func xor(_ count: Int, _ noise: Float, _ random: inout SeededRandom) -> [(x: Float, y: Float, label: Int)] {
        (0..<count).map { _ in
            var x = random.uniform(-5, 5)
            x += x > 0 ? 0.3 : -0.3
            var y = random.uniform(-5, 5)
            y += y > 0 ? 0.3 : -0.3
            let nx = random.uniform(-5, 5) * noise, ny = random.uniform(-5, 5) * noise
            return (x / playgroundScale, y / playgroundScale, (x + nx) * (y + ny) >= 0 ? 0 : 1)
        }
    }

    /// Gaussian blobs: the Playground's two (centres (2, 2) and (-2, -2), variance 0.5 + 7 noise)
    /// generalised to k centres at radius 2√2 and angles π/4 + 2πj/k; equal counts per class.
    static func clusters(_ count: Int, _ noise: Float, _ classes: Int,
                         _ random: inout SeededRandom) -> [(x: Float, y: Float, label: Int)] {
        let deviation = (0.5 + noise / 0.5 * 3.5).squareRoot()
        return (0..<count).map { i in
            let label = i * classes / count
            let angle = Float.pi / 4 + 2 * Float.pi * Float(label) / Float(classes)
            let cx = 2 * Float(2).squareRoot() * cos(angle), cy = 2 * Float(2).squareRoot() * sin(angle)
            let x = random.normal(mean: cx, standardDeviation: deviation)
            let y = random.normal(mean: cy, standardDeviation: deviation)
            return (x / playgroundScale, y / playgroundScale, label)
        }
    }

    /// scikit-learn's make_moons: the upper half circle (cos t, sin t) (class 0) and the lower
    /// (1 - cos t, 0.5 - sin t) (class 1), t evenly over [0, π], plus normal noise of deviation
    /// `noise`; then mapped by ((x - 0.5) / 1.5, (y - 0.25) / 1.5) into [-1, 1] x [-0.5, 0.5].
    static func moons(_ count: Int, _ noise: Float, _ random: inout SeededRandom) -> [(x: Float, y: Float, label: Int)] {
        var points: [(x: Float, y: Float, label: Int)] = []
        for (label, n) in [(0, (count + 1) / 2), (1, count / 2)] {
            for i in 0..<n {
                let t = n > 1 ? Float.pi * Float(i) / Float(n - 1) : 0
                var x = label == 0 ? cos(t) : 1 - cos(t)
                var y = label == 0 ? sin(t) : 0.5 - sin(t)
                x += random.normal(mean: 0, standardDeviation: noise)
                y += random.normal(mean: 0, standardDeviation: noise)
                points.append(((x - 0.5) / 1.5, (y - 0.25) / 1.5, label))
            }
        }
        return points
    }
}
