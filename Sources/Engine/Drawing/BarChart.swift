/// Horizontal bars for the top-k class probabilities, highest first, with class names on the
/// left and the probability written at the end of each bar.
public struct BarChart: Sendable {
    public var title: String
    public var names: [String]
    public var values: [Float]
    /// How many of the largest values to show.
    public var top: Int
    public var barColor = RGBColor(hex: 0x1F77B4)
    public var barLength = 240

    public init(title: String, names: [String], values: [Float], top: Int = 5) {
        self.title = title
        self.names = names
        self.values = values
        self.top = top
    }

    /// Indices of the `k` largest finite values, largest first (ties by lower index).
    public static func topIndices(_ values: [Float], k: Int) -> [Int] {
        values.indices.filter { values[$0].isFinite }
            .sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
            .prefix(max(k, 0)).map { $0 }
    }

    public func render() -> Canvas {
        let chosen = BarChart.topIndices(values, k: top)
        let labels = chosen.map { $0 < names.count ? names[$0] : "class \($0)" }
        let gap = 8, barHeight = 16
        let nameWidth = min(labels.map { TextMetrics.width(of: $0) }.max() ?? 0, 200)
        let scaleMax = max(chosen.first.map { values[$0] } ?? 1, 1e-12)
        let titleHeight = TextMetrics.lineHeight(scale: 2) + 10
        let width = max(gap + nameWidth + gap + barLength + gap + TextMetrics.width(of: "0.000") + gap,
                        TextMetrics.width(of: title, scale: 2) + 2 * gap)
        let height = titleHeight + chosen.count * (barHeight + 6) + gap
        var canvas = Canvas(width: width, height: height)
        canvas.drawText(title, centerX: width / 2, y: 6, scale: 2, maxWidth: width - 2 * gap)
        let barLeft = gap + nameWidth + gap
        for (row, index) in chosen.enumerated() {
            let y = titleHeight + row * (barHeight + 6)
            let textY = y + (barHeight - TextMetrics.lineHeight()) / 2
            let label = Canvas.truncate(labels[row], toWidth: nameWidth)
            canvas.drawText(label, x: barLeft - gap - TextMetrics.width(of: label), y: textY)
            let length = Int((max(values[index], 0) / scaleMax * Float(barLength)).rounded())
            canvas.fillRect(x: barLeft, y: y, width: length, height: barHeight, color: barColor)
            canvas.drawText(NumberLabel.format(values[index]), x: barLeft + length + 4, y: textY)
        }
        canvas.fillRect(x: barLeft - 1, y: titleHeight - 2, width: 1, height: chosen.count * (barHeight + 6) + 2,
                        color: .black)
        return canvas
    }
}
