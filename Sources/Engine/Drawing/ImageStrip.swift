/// Pictures in a row (or several rows) with a caption under each: the query first, framed, then
/// its nearest neighbours in feature space with their distances.
public struct ImageStrip: Sendable {
    public var title: String
    /// Each row is one query followed by its neighbours.
    public var rows: [[Canvas]]
    public var captions: [[String]]
    /// Frame the first picture of each row (the query).
    public var highlightFirst = true
    public var tileSize = 96

    public init(title: String, rows: [[Canvas]], captions: [[String]] = [], tileSize: Int = 96) {
        self.title = title
        self.rows = rows
        self.captions = captions
        self.tileSize = tileSize
    }

    public func render() -> Canvas {
        let gap = 8, queryGap = 8
        let columns = rows.map(\.count).max() ?? 0
        let titleHeight = TextMetrics.lineHeight(scale: 2) + 10
        let captionHeight = TextMetrics.lineHeight() + 4
        let width = max(columns * (tileSize + gap) + gap + queryGap, TextMetrics.width(of: title, scale: 2) + 2 * gap)
        let height = titleHeight + rows.count * (tileSize + captionHeight + gap) + gap
        var canvas = Canvas(width: width, height: height)
        canvas.drawText(title, centerX: width / 2, y: 6, scale: 2, maxWidth: width - 2 * gap)
        for (rowIndex, row) in rows.enumerated() {
            let y = titleHeight + rowIndex * (tileSize + captionHeight + gap)
            for (columnIndex, picture) in row.enumerated() {
                let x = gap + columnIndex * (tileSize + gap) + (columnIndex > 0 ? queryGap : 0)
                let longer = max(picture.width, picture.height, 1)
                let w = max(picture.width * tileSize / longer, 1), h = max(picture.height * tileSize / longer, 1)
                canvas.drawCanvas(picture, x: x + (tileSize - w) / 2, y: y + (tileSize - h) / 2, targetWidth: w,
                                  targetHeight: h, interpolation: .bilinear)
                if columnIndex == 0 && highlightFirst {
                    canvas.strokeRect(x: x - 3, y: y - 3, width: tileSize + 6, height: tileSize + 6,
                                      color: .red, thickness: 2)
                }
                if rowIndex < captions.count, columnIndex < captions[rowIndex].count {
                    canvas.drawText(captions[rowIndex][columnIndex], centerX: x + tileSize / 2, y: y + tileSize + 4,
                                    maxWidth: tileSize + gap - 2)
                }
            }
        }
        return canvas
    }
}
