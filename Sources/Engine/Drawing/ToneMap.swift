/// How an array of arbitrary values becomes intensities in 0...1 (lecture 000, section 1.3).
///
/// Why several modes and a caption: the same values look very different under each mapping
/// (a tiny range stretched to full contrast, a huge range crushed into it), so every picture says
/// which mapping and which range it used.
public enum ToneMap: String, Sendable, CaseIterable {
    /// The smallest value becomes 0 and the largest 1 (constant input becomes 0.5).
    case minMax = "minmax"
    /// Values below 0 become 0, values above 1 become 1; nothing is rescaled.
    case clip
    /// Zero becomes 0.5 and +-max|x| become 1 and 0, so signs stay readable (pair with a diverging colormap).
    case symmetric
    /// The 1st and 99th percentiles become 0 and 1; the outliers beyond them are clipped.
    case percentile

    /// The result of a mapping: intensities plus the value range that was mapped onto 0...1.
    public struct Mapped: Equatable, Sendable {
        public var values: [Float]
        /// The input value shown as 0.
        public var low: Float
        /// The input value shown as 1.
        public var high: Float
        public var mode: ToneMap

        /// A short caption such as "minmax [-0.021, 0.034]" to write on the picture.
        public var caption: String {
            "\(mode.rawValue) [\(NumberLabel.format(low)), \(NumberLabel.format(high))]"
        }
    }

    /// Accepts the mode names the language uses, also "min-max", "min_max" and "p99".
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "") {
        case "minmax": self = .minMax
        case "clip": self = .clip
        case "symmetric", "signed": self = .symmetric
        case "percentile", "p99": self = .percentile
        default: return nil
        }
    }

    /// Maps `values` to 0...1. NaN and infinities are ignored when finding the range and map to 0.
    public func apply(_ values: [Float]) -> Mapped {
        let finite = values.filter(\.isFinite)
        let (low, high): (Float, Float)
        switch self {
        case .minMax:
            low = finite.min() ?? 0
            high = finite.max() ?? 0
        case .clip:
            low = 0
            high = 1
        case .symmetric:
            let largest = finite.reduce(Float(0)) { max($0, abs($1)) }
            low = -largest
            high = largest
        case .percentile:
            let sorted = finite.sorted()
            low = Quantile.ofSorted(sorted, 0.01)
            high = Quantile.ofSorted(sorted, 0.99)
        }
        let span = high - low
        let mapped = values.map { value -> Float in
            guard value.isFinite else { return 0 }
            // NOTE: a zero span (constant input, or all zeros in symmetric mode) has no contrast to
            // show; mid-grey says "no range" more honestly than black.
            guard span > 0 else { return self == .clip ? min(max(value, 0), 1) : 0.5 }
            return min(max((value - low) / span, 0), 1)
        }
        return Mapped(values: mapped, low: low, high: high, mode: self)
    }
}
