extension Canvas {
    /// The colour bar's ticks: round values (AxisTicks' 1-2-5 steps) inside [low, high], as
    /// matplotlib's colorbar labels them; an empty or non-finite range gets its ends.
    static func colorbarTicks(low: Float, high: Float) -> [(value: Float, label: String)] {
        let (l, h) = (Double(low), Double(high))
        guard l.isFinite, h.isFinite, h > l else {
            return [low, high].filter(\.isFinite).map { ($0, NumberLabel.format($0)) }
        }
        let step = AxisTicks.step(low: l, high: h, count: 4)
        let values = AxisTicks.values(low: l, high: h, count: 4)
        guard values.count >= 2 else { return [(low, NumberLabel.format(low)), (high, NumberLabel.format(high))] }
        return values.map { (Float($0), AxisTicks.label($0, step: step)) }
    }

    /// Width in pixels that `drawColorbar` needs for a bar of `barWidth` plus its tick labels.
    public static func colorbarWidth(low: Float, high: Float, barWidth: Int = 14) -> Int {
        barWidth + 6 + (colorbarTicks(low: low, high: high).map { TextMetrics.width(of: $0.label) }.max() ?? 0)
    }

    /// A vertical colour bar at (x, y): `high` at the top, `low` at the bottom, with tick marks and
    /// labels at round values in the data's own units.
    public mutating func drawColorbar(x: Int, y: Int, barWidth: Int = 14, height: Int, colormap: Colormap,
                                      low: Float, high: Float) {
        guard height > 1 else { return }
        for row in 0..<height {
            let t = 1 - Float(row) / Float(height - 1)
            fillRect(x: x, y: y + row, width: barWidth, height: 1, color: colormap.color(t))
        }
        strokeRect(x: x - 1, y: y - 1, width: barWidth + 2, height: height + 2, color: .black)
        for (value, label) in Canvas.colorbarTicks(low: low, high: high) {
            let t = high > low ? (value - low) / (high - low) : 1
            let row = y + Int(((1 - t) * Float(height - 1)).rounded())
            fillRect(x: x + barWidth + 1, y: row, width: 3, height: 1, color: .black)
            let top = min(max(row - TextMetrics.lineHeight() / 2, y - 1), y + height - TextMetrics.lineHeight() + 1)
            drawText(label, x: x + barWidth + 6, y: top, color: .black)
        }
    }
}
