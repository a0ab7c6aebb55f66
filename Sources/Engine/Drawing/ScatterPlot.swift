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
    /// Marker radius in logical pixels (drawn anti-aliased, so fractions show).
    public var markerRadius = 2.5

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
        let gap = 10, axisLabelWidth = 56
        let titleHeight = TextMetrics.lineHeight(scale: 2) + 10
        let width = max(axisLabelWidth + plotWidth + gap + legendWidth + gap, TextMetrics.width(of: title, scale: 2) + 2 * gap)
        let height = titleHeight + plotHeight + TextMetrics.lineHeight() + 6 + 2 * gap
        var canvas = Canvas(width: width, height: height)
        canvas.drawText(title, centerX: width / 2, y: 6, scale: 2, maxWidth: width - 2 * gap)
        let left = axisLabelWidth, top = titleHeight
        // Round ticks in the data's units, with a light grid under the points.
        canvas.drawAxisTicks(plotX: left, plotY: top, plotWidth: plotWidth, plotHeight: plotHeight,
                             xRange: (Double(minX), Double(maxX)), yRange: (Double(minY), Double(maxY)))
        canvas.strokeRect(x: left - 1, y: top - 1, width: plotWidth + 2, height: plotHeight + 2, color: .darkGray)
        for i in 0..<n where points[2 * i].isFinite && points[2 * i + 1].isFinite {
            // Pixel centres span the box: x = left + 0.5 ... left + plotWidth - 0.5.
            let px = Double(left) + 0.5 + Double((points[2 * i] - minX) / (maxX - minX)) * Double(plotWidth - 1)
            let py = Double(top + plotHeight) - 0.5 - Double((points[2 * i + 1] - minY) / (maxY - minY)) * Double(plotHeight - 1)
            let color = CategoricalPalette.color(labels.isEmpty ? 0 : labels[i])
            canvas.fillDisc(centerX: px, centerY: py, radius: markerRadius, color: color)
        }
        for (row, label) in classes.enumerated() {
            let y = top + row * (TextMetrics.lineHeight() + 5)
            guard y + TextMetrics.lineHeight() < top + plotHeight else { break }
            let x = left + plotWidth + gap
            canvas.fillDisc(centerX: Double(x) + 5, centerY: Double(y) + Double(TextMetrics.lineHeight()) / 2,
                            radius: 4, color: CategoricalPalette.color(label))
            canvas.drawText(Canvas.truncate(legendNames[row], toWidth: legendWidth - 16), x: x + 15, y: y)
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
