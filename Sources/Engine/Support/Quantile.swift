/// The engine's one quantile rule, used for tone mapping (1st and 99th percentiles), the
/// segmentation seeds (saliency quantiles) and the synthesis priors (percentile clipping).
public enum Quantile {
    /// The value below which `fraction` (0...1, clamped) of the ascending, finite `sorted` values
    /// lie, by linear interpolation between the closest ranks: position = fraction * (n - 1), as
    /// NumPy's `quantile`/`percentile` default ("linear"). 0 for no values; NaN for a NaN fraction.
    public static func ofSorted(_ sorted: [Float], _ fraction: Float) -> Float {
        guard let first = sorted.first else { return 0 }
        guard !fraction.isNaN else { return .nan }
        guard sorted.count > 1 else { return first }
        let position = Swift.min(Swift.max(fraction, 0), 1) * Float(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = Swift.min(below + 1, sorted.count - 1)
        let weight = position - Float(below)
        return sorted[below] + (sorted[above] - sorted[below]) * weight
    }
}
