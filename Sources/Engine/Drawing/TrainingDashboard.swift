/// The live picture of a training run, after ConvNetJS's MNIST demo page: the smoothed
/// training loss and the validation accuracy against examples seen, the run's counters
/// (examples, examples/s, forward and backward milliseconds per example), the first
/// convolution's filters as tiles, and a strip of validation examples with their top-3
/// predictions (green when the first is right, red when wrong). A network on 2-D points shows
/// a `panel` instead of the filters and the strip (TensorFlow Playground's decision regions).
public struct TrainingDashboard {
    /// (examples seen, smoothed loss) points, oldest first.
    public var loss: [(Int, Float)]
    /// (examples seen, validation accuracy 0...1) points.
    public var accuracy: [(Int, Float)]
    public var snapshot: TrainingSnapshot
    /// The first convolution's weight, [Cout, Cin, kh, kw]; nil for networks without one.
    public var filters: Tensor?
    /// Validation examples to show: HWC pixels in 0...1, width, height, channels, true class,
    /// and the top three (class name, probability).
    public var strip: [(pixels: [Float], width: Int, height: Int, channels: Int, label: String, top: [(String, Float)])]
    /// A picture drawn under the curves in place of the filters and the strip (the decision
    /// regions of a 2-D classifier, the fit of a 1-D regression); the dashboard widens to hold it.
    public var panel: Canvas?
    /// Whether the run evaluates a validation set; without one the accuracy box says how to get it
    /// rather than stay an empty frame.
    public var hasValidation = true

    public init(loss: [(Int, Float)], accuracy: [(Int, Float)], snapshot: TrainingSnapshot, filters: Tensor?,
                strip: [(pixels: [Float], width: Int, height: Int, channels: Int, label: String, top: [(String, Float)])]) {
        self.loss = loss
        self.accuracy = accuracy
        self.snapshot = snapshot
        self.filters = filters
        self.strip = strip
    }

    static let green = RGBColor(red: 0.1, green: 0.6, blue: 0.2)
    static let blue = RGBColor(red: 0.15, green: 0.35, blue: 0.8)

    /// The dashboard, 720 pixels wide.
    public func render() -> Canvas {
        if let panel {
            var canvas = Canvas(width: max(720, panel.width + 20), height: 225 + panel.height)
            drawHeader(&canvas, width: 720)
            canvas.drawCanvas(panel, x: 10, y: 222)
            return canvas
        }
        let width = 720
        let hasFilters = filters.map { $0.rank == 4 } ?? false
        let stripTop = hasFilters ? 270 : 225
        var canvas = Canvas(width: width, height: stripTop + (strip.isEmpty ? 0 : 100))
        drawHeader(&canvas, width: width)
        if hasFilters, let filters { drawFilters(&canvas, filters, y: 222) }
        for (index, item) in strip.prefix(12).enumerated() {
            let x = 10 + index * 58
            canvas.drawPicture(pixels: item.pixels, width: item.width, height: item.height, channels: item.channels,
                               x: x, y: stripTop, targetWidth: 48, targetHeight: 48)
            for (rank, (name, probability)) in item.top.prefix(3).enumerated() {
                let right = rank == 0 ? name == item.label : false
                let color: RGBColor = rank == 0 ? (right ? TrainingDashboard.green : .red) : .darkGray
                canvas.drawText(Canvas.truncate("\(name) \(Int((probability * 100).rounded()))%", toWidth: 56), x: x, y: stripTop + 52 + rank * 12,
                                color: color)
            }
        }
        return canvas
    }

    /// The two curves and the counters line (the top 220 pixels).
    private func drawHeader(_ canvas: inout Canvas, width: Int) {
        plot(&canvas, loss, x: 10, title: "training loss (smoothed)", color: TrainingDashboard.blue, fixedRange: nil)
        plot(&canvas, accuracy, x: 370, title: "validation accuracy", color: TrainingDashboard.green, fixedRange: (0, 1))
        if accuracy.isEmpty {
            let note = hasValidation ? "after the first evaluation" : "no validation set:\ntrain(..., validation: data)"
            canvas.drawText(note, centerX: 370 + 170, y: 25 + 64, color: .darkGray)
        }
        let s = snapshot
        let line = "examples \(s.examples)   epoch \(s.epoch)   \(Int(s.examplesPerSecond.rounded())) examples/s   "
            + "fwd \(format(s.forwardMilliseconds)) ms  bwd \(format(s.backwardMilliseconds)) ms per example   loss \(format(Double(s.smoothedLoss)))"
            + (s.validationAccuracy.map { "   accuracy \(format(Double($0) * 100))%" } ?? "")
        canvas.drawText(Canvas.truncate(line, toWidth: width - 20), x: 10, y: 205)
    }

    /// A line plot of `points` in a 340 × 160 box at (x, 25).
    private func plot(_ canvas: inout Canvas, _ points: [(Int, Float)], x: Int, title: String, color: RGBColor,
                      fixedRange: (Float, Float)?) {
        let (top, boxWidth, boxHeight) = (25, 340, 160)
        canvas.drawText(title, x: x, y: 8)
        canvas.strokeRect(x: x, y: top, width: boxWidth, height: boxHeight, color: .lightGray)
        let finite = points.filter { $0.1.isFinite }
        guard let first = finite.first, let last = finite.last else { return }
        let values = finite.map(\.1)
        var (low, high) = fixedRange ?? (min(0, values.min() ?? 0), values.max() ?? 1)
        if high <= low { high = low + 1 }
        if fixedRange == nil { low = 0 }
        // The range labels go in the corners the curve leaves empty: a falling loss starts in the
        // top left, a rising accuracy ends in the top right.
        let falling = last.1 < first.1
        let highLabel = format(Double(high)), lowLabel = format(Double(low))
        let right = { (text: String) in x + boxWidth - 3 - TextMetrics.width(of: text) }
        canvas.drawText(highLabel, x: falling ? right(highLabel) : x + 3, y: top + 3, color: .darkGray)
        canvas.drawText(lowLabel, x: falling ? x + 3 : right(lowLabel), y: top + boxHeight - TextMetrics.lineHeight() - 1,
                        color: .darkGray)
        let examples = "\(last.0) examples"
        canvas.drawText(examples, x: x + boxWidth - TextMetrics.width(of: examples), y: top + boxHeight + 4, color: .darkGray)
        let span = max(1, last.0 - first.0)
        func position(_ point: (Int, Float)) -> (Int, Int) {
            let px = x + 2 + (boxWidth - 4) * (point.0 - first.0) / span
            let t = (min(max(point.1, low), high) - low) / (high - low)
            return (px, top + boxHeight - 2 - Int(t * Float(boxHeight - 4)))
        }
        if finite.count == 1 {
            let only = position(first)
            canvas.fillCircle(centerX: only.0, centerY: only.1, radius: 2, color: color)
        } else {
            // One anti-aliased path, so joins are smooth and segments do not double-blend.
            canvas.strokePolyline(finite.map { point in
                let p = position(point)
                return (Double(p.0) + 0.5, Double(p.1) + 0.5)
            }, color: color, lineWidth: 2)
        }
    }

    /// Up to 32 filters as 36-pixel tiles, each scaled to its own range; RGB for 3 input
    /// channels, the first input channel otherwise.
    private func drawFilters(_ canvas: inout Canvas, _ weight: Tensor, y: Int) {
        let (count, inputs, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        let channels = inputs == 3 ? 3 : 1
        canvas.drawText("first layer filters", x: 10, y: y - 12 + 8)
        for filter in 0..<min(count, 18) {
            var pixels = [Float](repeating: 0, count: kh * kw * channels)
            for row in 0..<kh {
                for column in 0..<kw {
                    for channel in 0..<channels {
                        pixels[(row * kw + column) * channels + channel] = weight.data[((filter * inputs + channel) * kh + row) * kw + column]
                    }
                }
            }
            let low = pixels.min() ?? 0, high = pixels.max() ?? 1
            let scaled = pixels.map { high > low ? ($0 - low) / (high - low) : 0.5 }
            canvas.drawPicture(pixels: scaled, width: kw, height: kh, channels: channels, x: 130 + filter * 32, y: y, targetWidth: 28, targetHeight: 28)
        }
    }

    private func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if abs(value) >= 100 { return String(Int(value.rounded())) }
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
