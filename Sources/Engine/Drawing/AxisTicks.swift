import Foundation

/// Round tick values for a plot axis: Heckbert's "nice numbers" (Graphics Gems, 1990, "Nice
/// numbers for graph labels"): a step of 1, 2 or 5 times a power of ten, chosen so about `count`
/// ticks cover the range, and labels with just enough decimals to tell them apart.
public enum AxisTicks {
    /// The tick values inside [low, high] (both ends included when they fall on a step), at most a
    /// few more than `count`. An empty or non-finite range gives its finite ends.
    public static func values(low: Double, high: Double, count: Int = 5) -> [Double] {
        guard low.isFinite, high.isFinite else { return [low, high].filter(\.isFinite) }
        guard high > low else { return [low] }
        let step = self.step(low: low, high: high, count: count)
        // A hair of slack so 0.7 / 0.1 = 6.999... still reaches the tick at 0.7.
        let first = (low / step - 1e-9).rounded(.up), last = (high / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 1000 else { return [low, high] }
        // Multiplying a whole index by the step keeps 0.1 * 3 from drifting to 0.30000000000000004 in the label.
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// The 1-2-5 step giving about `count` intervals over [low, high].
    public static func step(low: Double, high: Double, count: Int = 5) -> Double {
        let rough = (high - low) / Double(max(count, 1))
        let power = pow(10, (log10(rough)).rounded(.down))
        let fraction = rough / power
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * power
    }

    /// A tick label: as many decimals as the step needs (0.25 steps get two), scientific notation
    /// for very large or small magnitudes, "0" for values within rounding of zero.
    public static func label(_ value: Double, step: Double) -> String {
        if abs(value) < step * 1e-6 { return "0" }
        let magnitude = max(abs(value), step)
        if magnitude >= 1e6 || magnitude < 1e-4 { return String(format: "%.2g", value) }
        let decimals = max(0, -Int((log10(step)).rounded(.down)))
        // A step such as 0.25 has more digits than its power of ten shows.
        var needed = 0
        while needed < 6 {
            let scaled: Double = step * pow(10, Double(decimals + needed))
            if abs(scaled.rounded() - scaled) < 1e-9 { break }
            needed += 1
        }
        return String(format: "%.\(decimals + needed)f", value)
    }
}

extension Canvas {
    /// Round ticks along a plot box's left (y) and bottom (x) edges: light grid lines across the box,
    /// short tick marks outside it and their labels. `xRange`/`yRange` are the data values at the
    /// box's left/right and bottom/top edges; nil leaves that axis bare.
    public mutating func drawAxisTicks(plotX: Int, plotY: Int, plotWidth: Int, plotHeight: Int,
                                       xRange: (Double, Double)?, yRange: (Double, Double)?,
                                       xCount: Int = 5, yCount: Int = 5, grid: Bool = true) {
        let gridColor = RGBColor(gray: 0.92), ink = RGBColor.darkGray
        if let (low, high) = xRange, high > low {
            let step = AxisTicks.step(low: low, high: high, count: xCount)
            for value in AxisTicks.values(low: low, high: high, count: xCount) {
                let x = plotX + Int(((value - low) / (high - low) * Double(plotWidth - 1)).rounded())
                if grid { fillRect(x: x, y: plotY, width: 1, height: plotHeight, color: gridColor) }
                fillRect(x: x, y: plotY + plotHeight, width: 1, height: 4, color: ink)
                drawText(AxisTicks.label(value, step: step), centerX: x, y: plotY + plotHeight + 5, color: ink)
            }
        }
        if let (low, high) = yRange, high > low {
            let step = AxisTicks.step(low: low, high: high, count: yCount)
            let half = TextMetrics.lineHeight() / 2
            for value in AxisTicks.values(low: low, high: high, count: yCount) {
                let y = plotY + plotHeight - 1 - Int(((value - low) / (high - low) * Double(plotHeight - 1)).rounded())
                if grid { fillRect(x: plotX, y: y, width: plotWidth, height: 1, color: gridColor) }
                fillRect(x: plotX - 5, y: y, width: 4, height: 1, color: ink)
                let text = AxisTicks.label(value, step: step)
                drawText(text, x: plotX - 7 - TextMetrics.width(of: text), y: y - half, color: ink)
            }
        }
    }
}
