import Foundation

/// How numbers read in output: whole numbers without a fraction, others with up to 6 significant digits.
public enum NumberFormatting {
    public static func format(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number > 0 ? "inf" : "-inf" }
        if number.rounded() == number, abs(number) < 1e15 {
            return String(Int64(number))
        }
        let magnitude = abs(number)
        if magnitude >= 1e-4, magnitude < 1e15 {
            var text = String(format: "%.6g", number)
            if text.contains("e") { text = String(number) }
            return text
        }
        return String(format: "%.6g", number)
    }
}
