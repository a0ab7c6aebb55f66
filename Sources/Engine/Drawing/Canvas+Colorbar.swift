extension Canvas {
    /// Width in pixels that `drawColorbar` needs for a bar of `barWidth` plus its tick labels.
    public static func colorbarWidth(low: Float, high: Float, barWidth: Int = 14) -> Int {
        barWidth + 6 + max(TextMetrics.width(of: NumberLabel.format(low)), TextMetrics.width(of: NumberLabel.format(high)),
                           TextMetrics.width(of: NumberLabel.format((low + high) / 2)))
    }

    /// A vertical colour bar at (x, y): `high` at the top, `low` at the bottom, with tick marks and
    /// labels for low, middle and high in the data's own units.
    public mutating func drawColorbar(x: Int, y: Int, barWidth: Int = 14, height: Int, colormap: Colormap,
                                      low: Float, high: Float) {
        guard height > 1 else { return }
        for row in 0..<height {
            let t = 1 - Float(row) / Float(height - 1)
            fillRect(x: x, y: y + row, width: barWidth, height: 1, color: colormap.color(t))
        }
        strokeRect(x: x - 1, y: y - 1, width: barWidth + 2, height: height + 2, color: .black)
        let ticks: [(Float, Int)] = [(high, y), ((low + high) / 2, y + height / 2), (low, y + height - 1)]
        for (value, row) in ticks {
            fillRect(x: x + barWidth + 1, y: row, width: 3, height: 1, color: .black)
            let top = min(max(row - TextMetrics.lineHeight() / 2, y - 1), y + height - TextMetrics.lineHeight() + 1)
            drawText(NumberLabel.format(value), x: x + barWidth + 6, y: top, color: .black)
        }
    }
}
