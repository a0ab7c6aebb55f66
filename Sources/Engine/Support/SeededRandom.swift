/// A deterministic random number generator: xoshiro256** seeded through splitmix64.
///
/// Every random choice in ConvLens (initial weights, jitter, noise images, shuffling)
/// goes through one of these so that the same seed gives the same bytes on every run
/// and every machine. `Float` outputs are derived from the top 24 bits so they are exact.
public struct SeededRandom: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    /// Box-Muller makes normals in pairs; the second one waits here.
    private var spareNormal: Double?

    public init(seed: UInt64) {
        var mixer = seed
        func splitmix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// Uniform in [0, 1), with 24 random bits (every value exactly representable).
    public mutating func uniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * uniform()
    }

    /// Uniform integer in `range` (unbiased, via the standard library's rejection sampling).
    public mutating func integer(in range: Range<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    /// Normal with the given mean and standard deviation (Box-Muller, computed in Double).
    public mutating func normal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
        if let spare = spareNormal {
            spareNormal = nil
            return mean + standardDeviation * Float(spare)
        }
        // 1 - u keeps the logarithm's argument in (0, 1].
        let u1 = 1.0 - Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let radius = (-2.0 * _log(u1)).squareRoot()
        let angle = 2.0 * Double.pi * u2
        spareNormal = radius * _sin(angle)
        return mean + standardDeviation * Float(radius * _cos(angle))
    }

    private func rotateLeft(_ value: UInt64, _ amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}

#if canImport(Glibc)
import Glibc
private func _log(_ x: Double) -> Double { Glibc.log(x) }
private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
private func _log(_ x: Double) -> Double { Darwin.log(x) }
private func _sin(_ x: Double) -> Double { Darwin.sin(x) }
private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
