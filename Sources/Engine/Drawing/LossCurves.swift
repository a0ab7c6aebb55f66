/// Several training-loss curves on one plot, one colour per curve with a legend: the picture of
/// ConvNetJS's optimizer comparison. x is examples seen (from 0), y is the loss from 0 to the
/// largest finite value of any curve.
public struct LossCurves {
    /// One curve: its legend name and (examples seen, loss) points, oldest first.
    public struct Series {
        public var name: String
        public var points: [(Int, Float)]

        public init(name: String, points: [(Int, Float)]) {
            self.name = name
            self.points = points
        }
    }

    public var title: String
    public var series: [Series]
    public var plotWidth = 520
    public var plotHeight = 300

    static let left = 56, top = 34, legendGap = 16

    public init(title: String, series: [Series]) {
        self.title = title
        self.series = series
    }

    /// Curve i's colour: the categorical palette's i-th.
    public static func color(_ index: Int) -> RGBColor { CategoricalPalette.color(index) }

    /// The plotted ranges: examples 0 ... the largest x of any curve (at least 1) and loss
    /// 0 ... the largest finite loss (at least a small positive number).
    public var ranges: (examples: Int, loss: Float) {
        let points = series.flatMap(\.points).filter { $0.1.isFinite }
        let examples = max(1, points.map(\.0).max() ?? 1)
        let loss = max(points.map(\.1).max() ?? 1, 1e-6)
        return (examples, loss)
    }

    /// The canvas pixel of (examples, loss): linear in both, clamped to the plot box.
    public func pixel(examples: Int, loss: Float) -> (x: Int, y: Int) {
        let (maxExamples, maxLoss) = ranges
        let x = LossCurves.left + (plotWidth - 1) * min(max(examples, 0), maxExamples) / maxExamples
        let t = min(max(loss, 0), maxLoss) / maxLoss
        return (x, LossCurves.top + plotHeight - 1 - Int((t * Float(plotHeight - 1)).rounded()))
    }

    /// The plot: title, box with the loss range and the examples at the right end, the curves
    /// (2 pixels thick, drawn in order so the last is on top) and the legend with each curve's
    /// last loss.
    public func render() -> Canvas {
        let legend = series.map { "\($0.name) \(LossCurves.format($0.points.last?.1))" }
        let legendWidth = (legend.map { TextMetrics.width(of: $0) }.max() ?? 0) + 34
        let width = LossCurves.left + plotWidth + LossCurves.legendGap + legendWidth
        let lineHeight = TextMetrics.lineHeight()
        var canvas = Canvas(width: width, height: LossCurves.top + plotHeight + 2 * lineHeight + 12)
        canvas.drawText(Canvas.truncate(title, toWidth: width - LossCurves.left - 8), x: LossCurves.left, y: 8)
        let (maxExamples, maxLoss) = ranges
        // Round ticks (examples seen, loss) with a light grid under the curves.
        canvas.drawAxisTicks(plotX: LossCurves.left, plotY: LossCurves.top, plotWidth: plotWidth, plotHeight: plotHeight,
                             xRange: (0, Double(maxExamples)), yRange: (0, Double(maxLoss)))
        canvas.strokeRect(x: LossCurves.left - 1, y: LossCurves.top - 1, width: plotWidth + 2, height: plotHeight + 2, color: .lightGray)
        canvas.drawText("loss", x: 4, y: LossCurves.top - lineHeight - 4, color: .darkGray)
        canvas.drawText("examples seen", centerX: LossCurves.left + plotWidth / 2, y: LossCurves.top + plotHeight + lineHeight + 8,
                        color: .darkGray)
        for (index, curve) in series.enumerated() {
            let color = LossCurves.color(index)
            let finite = curve.points.filter { $0.1.isFinite }
            guard let first = finite.first else { continue }
            if finite.count == 1 {
                let only = pixel(examples: first.0, loss: first.1)
                canvas.fillCircle(centerX: only.x, centerY: only.y, radius: 2, color: color)
                continue
            }
            // One anti-aliased path per curve, so joins are smooth and segments do not double-blend.
            canvas.strokePolyline(finite.map { point in
                let p = pixel(examples: point.0, loss: point.1)
                return (Double(p.x) + 0.5, Double(p.y) + 0.5)
            }, color: color, lineWidth: 2)
        }
        let legendX = LossCurves.left + plotWidth + LossCurves.legendGap
        for (index, text) in legend.enumerated() {
            let y = LossCurves.top + 4 + index * (TextMetrics.lineHeight() + 8)
            canvas.fillRect(x: legendX, y: y + TextMetrics.lineHeight() / 2 - 1, width: 22, height: 3, color: LossCurves.color(index))
            canvas.drawText(text, x: legendX + 28, y: y)
        }
        return canvas
    }

    static func format(_ value: Float?) -> String {
        guard let value, value.isFinite else { return "-" }
        return NumberLabel.format(value)
    }
}
