/// A confusion matrix as a picture: rows are the true classes, columns the predicted ones, each cell
/// coloured by its share of its row (viridis, so the diagonal of a good classifier is the bright
/// line) with its count written in it; class names on both axes, each row's accuracy (recall)
/// beside it, and the overall accuracy in the title.
///
/// More than `maximumClasses` classes (ImageNet's 1000) would give unreadable cells, so only the
/// classes that occur (as truth or prediction) are drawn, at most `maximumClasses` of them
/// (the most frequent true classes first), and the caption says how many were left out.
public struct ConfusionMatrixPlot: Sendable {
    public let evaluation: Evaluation
    public var title: String
    public static let maximumClasses = 30

    public init(evaluation: Evaluation, title: String) {
        self.evaluation = evaluation
        self.title = title
    }

    /// The classes drawn, in class order: all of them up to `maximumClasses`, else those that occur.
    public var shownClasses: [Int] {
        let k = evaluation.classCount
        if k <= ConfusionMatrixPlot.maximumClasses { return Array(0..<k) }
        // How often each class occurs, as truth (row sum) or as prediction (column sum).
        var occurs = [Int](repeating: 0, count: k)
        for t in 0..<k {
            for p in 0..<k where evaluation.confusion[t * k + p] > 0 {
                occurs[t] += evaluation.confusion[t * k + p]
                occurs[p] += evaluation.confusion[t * k + p]
            }
        }
        let present = (0..<k).filter { occurs[$0] > 0 }
        let ranked = present.sorted { (occurs[$0], -$0) > (occurs[$1], -$1) }
        return Array(ranked.prefix(ConfusionMatrixPlot.maximumClasses)).sorted()
    }

    /// The counts drawn, `shownClasses.count` squared, row-major (what `save(x, "f.npy")` writes).
    public var shownCounts: [Float] {
        let k = evaluation.classCount, shown = shownClasses
        return shown.flatMap { t in shown.map { p in Float(evaluation.confusion[t * k + p]) } }
    }

    public func render() -> Canvas {
        let k = evaluation.classCount, shown = shownClasses, n = shown.count
        let names = shown.map { Canvas.truncate(evaluation.classNames[$0], toWidth: 96) }
        let countText = shown.flatMap { t in shown.map { p in NumberLabel.count(evaluation.confusion[t * k + p]) } }
        let widest = countText.map { TextMetrics.width(of: $0) }.max() ?? 6
        let cell = max(22, widest + 6)
        let nameWidth = (names.map { TextMetrics.width(of: $0) }.max() ?? 0) + 8
        let recallWidth = TextMetrics.width(of: "100.0%") + 12
        let gap = 10, titleHeight = TextMetrics.lineHeight(scale: 2) + 14
        // Predicted names are turned to read upwards, each as long as the row names allow.
        let columnLabelHeight = (names.map { TextMetrics.width(of: $0) }.max() ?? 0) + 6
        let left = gap + nameWidth, top = titleHeight + TextMetrics.lineHeight() + 4 + columnLabelHeight
        let caption = n < k ? "\(n) of \(k) classes shown (those that occur); rows: true class, columns: predicted"
            : "rows: true class, columns: predicted; right: accuracy of each true class"
        let width = max(left + n * cell + recallWidth + gap, TextMetrics.width(of: title, scale: 2) + 2 * gap,
                        TextMetrics.width(of: caption) + 2 * gap)
        let height = top + n * cell + TextMetrics.lineHeight(scale: 2) + 2 * gap
        var canvas = Canvas(width: width, height: height)
        canvas.drawText(title, centerX: width / 2, y: 6, scale: 2, maxWidth: width - 2 * gap)
        canvas.drawText("predicted", centerX: left + n * cell / 2, y: titleHeight, color: .darkGray)
        for (column, name) in names.enumerated() {
            canvas.drawTextUpward(name, x: left + column * cell + (cell - TextMetrics.lineHeight()) / 2, bottomY: top - 4)
        }
        for (row, t) in shown.enumerated() {
            let y = top + row * cell
            let rowTotal = max(evaluation.support(t), 1)
            canvas.drawText(names[row], x: left - 4 - TextMetrics.width(of: names[row]), y: y + (cell - TextMetrics.lineHeight()) / 2)
            for (column, p) in shown.enumerated() {
                let count = evaluation.confusion[t * k + p]
                let share = Float(count) / Float(rowTotal)
                let x = left + column * cell
                let color = count == 0 ? RGBColor(gray: 0.97) : Colormap.viridis.color(0.15 + 0.85 * share)
                canvas.fillRect(x: x, y: y, width: cell, height: cell, color: color)
                canvas.strokeRect(x: x, y: y, width: cell, height: cell, color: .lightGray)
                if count > 0 {
                    // Viridis is dark below about 0.6: white text there, black above.
                    let ink: RGBColor = 0.15 + 0.85 * share < 0.6 ? .white : .black
                    canvas.drawText(countText[row * n + column], centerX: x + cell / 2,
                                    y: y + (cell - TextMetrics.lineHeight()) / 2, color: ink)
                }
            }
            // The diagonal (right answers) gets a dark frame so it reads at a glance.
            canvas.strokeRect(x: left + row * cell, y: y, width: cell, height: cell, color: .black)
            let recall = evaluation.classAccuracy(t).map { NumberLabel.percent($0) } ?? "-"
            canvas.drawText(recall, x: left + n * cell + 6, y: y + (cell - TextMetrics.lineHeight()) / 2, color: .darkGray)
        }
        canvas.drawText(caption, x: gap, y: top + n * cell + gap, color: .darkGray)
        return canvas
    }
}

extension NumberLabel {
    /// "97.5%": a fraction 0...1 as a percentage with one decimal.
    public static func percent(_ fraction: Double) -> String {
        let tenths = Int((fraction * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
