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
}
