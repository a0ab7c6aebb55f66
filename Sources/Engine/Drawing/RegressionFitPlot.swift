/// ConvNetJS's 1-D regression picture: the data points (x, y) and the network's fit y = f(x)
/// drawn as a line over the same axes, updated as training goes.
public struct RegressionFitPlot {
    /// The data: x values and their targets, same count.
    public var xs: [Float]
    public var ys: [Float]
    /// The fitted curve: (x, prediction) in increasing x.
    public var curve: [(Float, Float)]
    public var title = "data and the network's fit"
    public var width = 520
    public var height = 260

    static let margin = 10, titleHeight = 16
    static let pointColor = RGBColor(gray: 0.35)
    static let curveColor = CategoricalPalette.color(3)

    public init(xs: [Float], ys: [Float], curve: [(Float, Float)]) {
        self.xs = xs
        self.ys = ys
        self.curve = curve
    }

    /// The plotted ranges: every finite x and y of the data and the curve, padded by 5%.
    public var ranges: (x: ClosedRange<Float>, y: ClosedRange<Float>) {
        func padded(_ values: [Float]) -> ClosedRange<Float> {
            let finite = values.filter(\.isFinite)
            let low = finite.min() ?? -1, high = finite.max() ?? 1
            let pad = max((high - low) * 0.05, 1e-3)
            return (low - pad)...(high + pad)
        }
        return (padded(xs + curve.map(\.0)), padded(ys + curve.map(\.1)))
    }

    /// The canvas pixel of (x, y), clamped to the plot box.
    public func pixel(x: Float, y: Float) -> (x: Int, y: Int) {
        let (rx, ry) = ranges
        let tx = (min(max(x, rx.lowerBound), rx.upperBound) - rx.lowerBound) / (rx.upperBound - rx.lowerBound)
        let ty = (min(max(y, ry.lowerBound), ry.upperBound) - ry.lowerBound) / (ry.upperBound - ry.lowerBound)
        let m = RegressionFitPlot.margin, top = m + RegressionFitPlot.titleHeight
        return (m + Int((tx * Float(width - 1)).rounded()), top + height - 1 - Int((ty * Float(height - 1)).rounded()))
    }

    public func render() -> Canvas {
        let m = RegressionFitPlot.margin, top = m + RegressionFitPlot.titleHeight
        var canvas = Canvas(width: width + 2 * m, height: top + height + m)
        canvas.drawText(Canvas.truncate(title, toWidth: width), x: m, y: 4)
        canvas.strokeRect(x: m - 1, y: top - 1, width: width + 2, height: height + 2, color: .lightGray)
        let (rx, ry) = ranges
        if rx.contains(0) {
            let axis = pixel(x: 0, y: ry.lowerBound).x
            canvas.drawLine(fromX: axis, y: top, toX: axis, y: top + height - 1, color: .lightGray)
        }
        if ry.contains(0) {
            let axis = pixel(x: rx.lowerBound, y: 0).y
            canvas.drawLine(fromX: m, y: axis, toX: m + width - 1, y: axis, color: .lightGray)
        }
        for (x, y) in zip(xs, ys) where x.isFinite && y.isFinite {
            let p = pixel(x: x, y: y)
            canvas.fillCircle(centerX: p.x, centerY: p.y, radius: 2, color: RegressionFitPlot.pointColor)
        }
        let finite = curve.filter { $0.0.isFinite && $0.1.isFinite }
        canvas.strokePolyline(finite.map { point in
            let p = pixel(x: point.0, y: point.1)
            return (Double(p.x) + 0.5, Double(p.y) + 0.5)
        }, color: RegressionFitPlot.curveColor, lineWidth: 2)
        return canvas
    }
}
