/// Test images with a network's top predictions, as ConvNetJS's MNIST demo shows them: under each
/// image its top-3 classes with their probabilities, the image framed green when the top-1 class is
/// the true one and red when not, and the true label written above it.
public struct PredictionGrid: Sendable {
    /// One example: its picture, true class name, and (class name, probability) best first.
    public struct Entry: Sendable {
        public var image: Canvas
        public var truth: String
        public var top: [(name: String, probability: Float)]
        public var correct: Bool

        public init(image: Canvas, truth: String, top: [(name: String, probability: Float)], correct: Bool) {
            self.image = image
            self.truth = truth
            self.top = top
            self.correct = correct
        }
    }

    public var title: String
    public var entries: [Entry]
    /// Fixed columns; nil: about square, at most 10.
    public var columns: Int?
    /// Display size of an image's longer side (small images are scaled up by whole factors).
    public var imageSide = 84

    public static let right = RGBColor(red: 0.1, green: 0.6, blue: 0.2)
    public static let wrong = RGBColor.red

    public init(title: String, entries: [Entry], columns: Int? = nil) {
        self.title = title
        self.entries = entries
        self.columns = columns
    }

    public func render() -> Canvas {
        let (rows, columns) = TileGrid.shape(count: entries.count, columns: columns ?? min(10, TileGrid.shape(count: entries.count).columns))
        let lines = entries.map(\.top.count).max() ?? 0
        // Room for a class name of about 15 characters and its percentage.
        let textWidth = TextMetrics.width(of: String(repeating: "n", count: 15) + " 100%")
        let cellWidth = max(imageSide, textWidth) + 8
        let cellHeight = TextMetrics.lineHeight() + 4 + imageSide + 6 + lines * TextMetrics.lineHeight() + 6
        let gap = 8, titleHeight = TextMetrics.lineHeight(scale: 2) + 12
        let width = max(columns * (cellWidth + gap) + gap, TextMetrics.width(of: title, scale: 2) + 2 * gap)
        let height = titleHeight + rows * (cellHeight + gap) + gap
        var canvas = Canvas(width: width, height: height)
        canvas.drawText(title, centerX: width / 2, y: 6, scale: 2, maxWidth: width - 2 * gap)
        for (index, entry) in entries.enumerated() {
            let x = gap + (index % columns) * (cellWidth + gap)
            let y = titleHeight + (index / columns) * (cellHeight + gap)
            let color = entry.correct ? PredictionGrid.right : PredictionGrid.wrong
            canvas.drawText("true: " + entry.truth, centerX: x + cellWidth / 2, y: y, maxWidth: cellWidth)
            let longer = max(entry.image.width, entry.image.height, 1)
            let scale = Float(imageSide) / Float(longer)
            let w = max(1, Int(Float(entry.image.width) * scale)), h = max(1, Int(Float(entry.image.height) * scale))
            let imageX = x + (cellWidth - w) / 2, imageY = y + TextMetrics.lineHeight() + 4 + (imageSide - h) / 2
            canvas.drawCanvas(entry.image, x: imageX, y: imageY, targetWidth: w, targetHeight: h,
                              interpolation: longer < imageSide ? .nearest : .bilinear)
            canvas.strokeRect(x: imageX - 3, y: imageY - 3, width: w + 6, height: h + 6, color: color, thickness: 3)
            for (line, guess) in entry.top.enumerated() {
                let percent = "\(Int((guess.probability * 100).rounded()))%"
                let text = Canvas.truncate(guess.name, toWidth: cellWidth - TextMetrics.width(of: " 100%") - 4) + " " + percent
                let ink: RGBColor = line == 0 ? color : .darkGray
                canvas.drawText(text, centerX: x + cellWidth / 2,
                                y: y + TextMetrics.lineHeight() + 4 + imageSide + 6 + line * TextMetrics.lineHeight(), color: ink)
            }
        }
        return canvas
    }
}
