/// A grouped bar chart of how many units each concept category claims, one group per layer
/// (Bau et al. 2017, fig. 5's "number of unique detectors" per layer, here units per category).
public enum DissectionChart {
    /// Vertical bars: for each result (a layer) one bar per category, coloured by category, the
    /// count written above each bar; a legend names the categories.
    public static func render(_ results: [DissectionResult], title: String) -> Canvas {
        let categories = ConceptSet.Category.allCases
        let counts = results.map { $0.unitsPerCategory() }
        let highest = max(1, counts.flatMap { $0 }.max() ?? 1)
        let barWidth = 22, gap = 6, groupGap = 24, plotHeight = 180
        let margin = 40, titleHeight = TextMetrics.lineHeight(scale: 2) + 12
        let groupWidth = categories.count * barWidth + (categories.count - 1) * gap
        let groupsWidth = results.count * groupWidth + max(0, results.count - 1) * groupGap
        let legendWidth = categories.map { TextMetrics.width(of: $0.rawValue) + 26 }.reduce(0, +)
        let width = max(2 * margin + max(groupsWidth, legendWidth), TextMetrics.width(of: title, scale: 2) + 20)
        let height = titleHeight + plotHeight + 3 * TextMetrics.lineHeight() + 28
        var canvas = Canvas(width: width, height: height)
        canvas.drawText(title, centerX: width / 2, y: 6, scale: 2, maxWidth: width - 10)
        let baseline = titleHeight + plotHeight
        let left = (width - groupsWidth) / 2
        for (group, result) in results.enumerated() {
            let x0 = left + group * (groupWidth + groupGap)
            for (slot, count) in counts[group].enumerated() {
                let x = x0 + slot * (barWidth + gap)
                let barHeight = Int((Float(count) / Float(highest) * Float(plotHeight - TextMetrics.lineHeight() - 4)).rounded())
                canvas.fillRect(x: x, y: baseline - barHeight, width: barWidth, height: barHeight, color: CategoricalPalette.color(slot))
                let text = "\(count)"
                canvas.drawText(text, x: x + (barWidth - TextMetrics.width(of: text)) / 2, y: baseline - barHeight - TextMetrics.lineHeight() - 2)
            }
            let name = Canvas.truncate(result.layer, toWidth: groupWidth + groupGap - 4)
            canvas.drawText(name, centerX: x0 + groupWidth / 2, y: baseline + 4)
        }
        canvas.fillRect(x: left - 4, y: baseline, width: groupsWidth + 8, height: 1, color: .black)
        var x = (width - legendWidth) / 2
        let legendY = baseline + TextMetrics.lineHeight() + 14
        for (slot, category) in categories.enumerated() {
            canvas.fillRect(x: x, y: legendY, width: 12, height: 12, color: CategoricalPalette.color(slot))
            canvas.drawText(category.rawValue, x: x + 16, y: legendY)
            x += TextMetrics.width(of: category.rawValue) + 26
        }
        return canvas
    }
}
