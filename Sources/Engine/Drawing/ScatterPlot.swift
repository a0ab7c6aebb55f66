/// 2-D points (a PCA or t-SNE embedding) as coloured dots on axes, one colour per class from the
/// categorical palette, with a legend of class names and a title.
public struct ScatterPlot: Sendable {
    public var title: String
    /// n x 2 row-major.
    public var points: [Float]
    /// One class index per point (negative = unlabelled/noise, drawn grey); empty = all one class.
    public var labels: [Int]
    /// Names of classes 0, 1, ...; missing names show as "<labelWord> k".
    public var classNames: [String]
    /// The word before a label number in the legend: "class" for true classes, "cluster" for DBSCAN's.
    public var labelWord = "class"
    public var plotWidth = 480
    public var plotHeight = 480
    public var markerRadius = 2

    public init(title: String, points: [Float], labels: [Int] = [], classNames: [String] = []) {
        self.title = title
        self.points = points
        self.labels = labels
        self.classNames = classNames
    }

    /// nil when `points` is not n x 2 or `labels` has the wrong count.
    public func render() -> Canvas? {
        guard points.count % 2 == 0, labels.isEmpty || labels.count == points.count / 2 else { return nil }
        let n = points.count / 2
        let xs = (0..<n).map { points[2 * $0] }.filter(\.isFinite)
        let ys = (0..<n).map { points[2 * $0 + 1] }.filter(\.isFinite)
        let (minX, maxX) = ScatterPlot.paddedRange(xs)
        let (minY, maxY) = ScatterPlot.paddedRange(ys)
        let classes = Array(Set(labels)).sorted()
        let legendNames = classes.map { $0 < 0 ? "noise" : ($0 < classNames.count ? classNames[$0] : "\(labelWord) \($0)") }
        let legendWidth = classes.isEmpty ? 0 : min((legendNames.map { TextMetrics.width(of: $0) }.max() ?? 0) + 30, 220)
        let gap = 10, axisLabelWidth = 48
        let titleHeight = TextMetrics.lineHeight(scale: 2) + 10
        let width = max(axisLabelWidth + plotWidth + gap + legendWidth + gap, TextMetrics.width(of: title, scale: 2) + 2 * gap)
        let height = titleHeight + plotHeight + TextMetrics.lineHeight() + 2 * gap
        var canvas = Canvas(width: width, height: height)
        canvas.drawText(title, centerX: width / 2, y: 6, scale: 2, maxWidth: width - 2 * gap)
        let left = axisLabelWidth, top = titleHeight
        canvas.strokeRect(x: left - 1, y: top - 1, width: plotWidth + 2, height: plotHeight + 2, color: .black)
        // Axis ends: the data range in the data's units.
        canvas.drawText(NumberLabel.format(minX), x: left, y: top + plotHeight + 4)
        let maxXLabel = NumberLabel.format(maxX)
        canvas.drawText(maxXLabel, x: left + plotWidth - TextMetrics.width(of: maxXLabel), y: top + plotHeight + 4)
        let maxYLabel = NumberLabel.format(maxY), minYLabel = NumberLabel.format(minY)
        canvas.drawText(maxYLabel, x: left - 4 - TextMetrics.width(of: maxYLabel), y: top)
        canvas.drawText(minYLabel, x: left - 4 - TextMetrics.width(of: minYLabel), y: top + plotHeight - TextMetrics.lineHeight())
        for i in 0..<n where points[2 * i].isFinite && points[2 * i + 1].isFinite {
            let px = left + Int((points[2 * i] - minX) / (maxX - minX) * Float(plotWidth - 1))
            let py = top + plotHeight - 1 - Int((points[2 * i + 1] - minY) / (maxY - minY) * Float(plotHeight - 1))
            let color = CategoricalPalette.color(labels.isEmpty ? 0 : labels[i])
            canvas.fillCircle(centerX: px, centerY: py, radius: markerRadius, color: color)
        }
        for (row, label) in classes.enumerated() {
            let y = top + row * (TextMetrics.lineHeight() + 5)
            guard y + TextMetrics.lineHeight() < top + plotHeight else { break }
            let x = left + plotWidth + gap
            canvas.fillRect(x: x, y: y, width: 10, height: 9, color: CategoricalPalette.color(label))
            canvas.drawText(Canvas.truncate(legendNames[row], toWidth: legendWidth - 16), x: x + 15, y: y + 1)
        }
        return canvas
    }

    /// The range of the values widened by 5% on each side (and made non-empty), so dots at the
    /// extremes are not cut by the frame.
    static func paddedRange(_ values: [Float]) -> (Float, Float) {
        guard let low = values.min(), let high = values.max() else { return (-1, 1) }
        let span = high - low
        if span <= 0 { return (low - 1, high + 1) }
        return (low - 0.05 * span, high + 0.05 * span)
    }
}
