import Foundation

/// 1-D regression sets for ConvNetJS's "1D regression" demo (cs.stanford.edu/people/karpathy/
/// convnetjs/demo/regression.html, which fits x · sin(x) on [-5, 5]): `count` points (x, y)
/// with x uniform in [-1, 1] and y = f(x) plus normal noise, as a `LabeledDataset` of [1]
/// examples with [1] target values (trained with mean squared error).
public enum Toy1D {
    public enum Kind: String, CaseIterable, Sendable {
        /// sin(π x): one period over the range.
        case sine
        /// ConvNetJS's demo function, scaled to the range: X sin(X) / 5 with X = 5 x.
        case xsinx
        /// 2 x³ − x: two bends.
        case cubic
        /// −0.5 for x < 0, 0.5 from 0 on: what smooth units find hard.
        case step
    }

    /// f(x) of `kind`, without noise.
    public static func value(_ kind: Kind, at x: Float) -> Float {
        switch kind {
        case .sine: return Float(sin(Double.pi * Double(x)))
        case .xsinx: return x * sin(5 * x)
        case .cubic: return 2 * x * x * x - x
        case .step: return x < 0 ? -0.5 : 0.5
        }
    }

    /// `count` points of `kind` with normal noise of deviation `noise` on y, drawn from
    /// `SeededRandom(seed)` (the same seed gives the same bytes): for each point x first, then
    /// its noise. Throws `EngineError.invalid` for a count outside 2...1,000,000 or noise
    /// outside 0...1.
    public static func make(_ kind: Kind, count: Int, noise: Float, seed: UInt64) throws -> LabeledDataset {
        guard (2...1_000_000).contains(count) else { throw EngineError.invalid("toy1d: count must be 2 to 1,000,000, got \(count)") }
        guard noise >= 0, noise <= 1 else { throw EngineError.invalid("toy1d: noise must be 0 to 1, got \(noise)") }
        var random = SeededRandom(seed: seed)
        var xs = [Float](), ys = [Float]()
        xs.reserveCapacity(count)
        ys.reserveCapacity(count)
        for _ in 0..<count {
            let x = random.uniform(-1, 1)
            let n = noise > 0 ? random.normal(mean: 0, standardDeviation: noise) : 0
            xs.append(x)
            ys.append(value(kind, at: x) + n)
        }
        return try LabeledDataset(name: "toy1d \(kind.rawValue)", sampleShape: [1], inputs: xs, targets: .values(data: ys, shape: [1]))
    }
}
