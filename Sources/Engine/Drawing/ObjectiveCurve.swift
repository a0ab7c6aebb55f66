/// A small line plot of values over optimisation steps (the objective under a synthesized image,
/// lecture 000's "objective over iterations"), with the first and last values written at its ends
/// and the range on the left. Further series (a target logit and the mean of the others) are drawn
/// in the categorical palette's colours with a legend.
public struct ObjectiveCurve: Sendable {
    public var series: [(name: String, values: [Float])]
    public var width: Int
    public var height: Int

    public init(series: [(name: String, values: [Float])], width: Int = 227, height: Int = 70) {
        self.series = series
        self.width = width
        self.height = height
    }

    public func render() -> Canvas {
        let legendHeight = series.count > 1 ? TextMetrics.lineHeight() + 4 : 0
        var canvas = Canvas(width: width, height: height + legendHeight)
        let finite = series.flatMap { $0.values.filter(\.isFinite) }
        guard let low = finite.min(), let high = finite.max(), series.contains(where: { $0.values.count > 1 }) else {
            return canvas
        }
        let labelWidth = Swift.max(TextMetrics.width(of: NumberLabel.format(high)), TextMetrics.width(of: NumberLabel.format(low))) + 4
        let plot = (x: labelWidth + 2, y: 4, width: Swift.max(8, width - labelWidth - 6), height: Swift.max(8, height - 8))
        let span = high > low ? high - low : 1
        canvas.drawText(NumberLabel.format(high), x: 1, y: plot.y)
        canvas.drawText(NumberLabel.format(low), x: 1, y: plot.y + plot.height - TextMetrics.lineHeight())
        canvas.strokeRect(x: plot.x - 1, y: plot.y - 1, width: plot.width + 2, height: plot.height + 2, color: RGBColor(hex: 0xBBBBBB))
        for (index, entry) in series.enumerated() {
            let color = index == 0 ? RGBColor(hex: 0x1F77B4) : CategoricalPalette.color(index)
            let values = entry.values
            guard values.count > 1 else { continue }
            func point(_ step: Int) -> (Int, Int) {
                let value = values[step].isFinite ? values[step] : low
                let x = plot.x + Int((Float(step) / Float(values.count - 1) * Float(plot.width - 1)).rounded())
                let y = plot.y + plot.height - 1 - Int(((value - low) / span * Float(plot.height - 1)).rounded())
                return (x, y)
            }
            canvas.strokePolyline((0..<values.count).map { step in
                let (x, y) = point(step)
                return (Double(x) + 0.5, Double(y) + 0.5)
            }, color: color, lineWidth: 1.25)
        }
        if series.count > 1 {
            var x = plot.x
            for (index, entry) in series.enumerated() {
                let color = index == 0 ? RGBColor(hex: 0x1F77B4) : CategoricalPalette.color(index)
                canvas.fillRect(x: x, y: height + 3, width: 10, height: 3, color: color)
                canvas.drawText(entry.name, x: x + 13, y: height)
                x += 13 + TextMetrics.width(of: entry.name) + 10
            }
        }
        return canvas
    }
}
