import Foundation

/// Short number labels for captions, ticks and bars: three significant digits, scientific
/// notation only for very small or very large magnitudes, no trailing zeros.
public enum NumberLabel {
    public static func format(_ value: Float) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e5 {
            let text = String(format: "%.3g", Double(value))
            return text.contains("e") ? String(format: "%.0f", Double(value)) : text
        }
        return String(format: "%.2e", Double(value))
    }

    /// A count in thousands or millions for captions: 812, 37.4k, 1.24M, 138M.
    public static func count(_ value: Int) -> String {
        let magnitude = Double(abs(value))
        let sign = value < 0 ? "-" : ""
        if magnitude < 1_000 { return "\(value)" }
        if magnitude < 999_500 { return sign + String(format: "%.3g", magnitude / 1_000) + "k" }
        if magnitude < 999_500_000 { return sign + String(format: "%.3g", magnitude / 1_000_000) + "M" }
        return sign + String(format: "%.3g", magnitude / 1_000_000_000) + "G"
    }
}
