/// A titled grid of small pictures with a label under each: filters, activation channels,
/// maximally activating patches. Rows x columns are chosen near-square unless fixed.
public struct TileGrid: Sendable {
    public var title: String
    public var tiles: [Canvas]
    public var labels: [String]
    /// A small note under the grid, such as the tone map's caption.
    public var caption: String?
    /// Fixed number of columns; nil picks ceil(sqrt(count)).
    public var columns: Int?
    /// Display size of a tile's longer side; nil scales small tiles up by a whole factor to at least 48 px.
    public var tileSize: Int?
    public var interpolation: Interpolation = .nearest

    public init(title: String, tiles: [Canvas], labels: [String] = [], caption: String? = nil,
                columns: Int? = nil, tileSize: Int? = nil) {
        self.title = title
        self.tiles = tiles
        self.labels = labels
        self.caption = caption
        self.columns = columns
        self.tileSize = tileSize
    }

    /// Rows and columns for `count` tiles: columns = ceil(sqrt(count)), rows as needed.
    public static func shape(count: Int, columns fixed: Int? = nil) -> (rows: Int, columns: Int) {
        guard count > 0 else { return (0, 0) }
        var columns = fixed ?? 1
        if fixed == nil { while columns * columns < count { columns += 1 } }
        columns = max(1, min(columns, count))
        return ((count + columns - 1) / columns, columns)
    }

    /// The display size of a tile: its own size scaled so the longer side is `tileSize`, or by the
    /// smallest whole factor reaching 48 px (never shrinking; large tiles are capped at 160 px).
    func displaySize(of tile: Canvas) -> (width: Int, height: Int) {
        let longer = max(tile.width, tile.height, 1)
        let target: Int
        if let tileSize {
            target = max(tileSize, 1)
        } else if longer >= 48 {
            target = min(longer, 160)
        } else {
            target = longer * ((48 + longer - 1) / longer)
        }
        return (max(tile.width * target / longer, 1), max(tile.height * target / longer, 1))
    }

    public func render() -> Canvas {
        let (rows, columns) = TileGrid.shape(count: tiles.count, columns: columns)
        let sizes = tiles.map(displaySize(of:))
        let cellWidth = max(sizes.map(\.width).max() ?? 48, 36)
        let cellHeight = sizes.map(\.height).max() ?? 48
        let gap = 6
        let labelHeight = labels.isEmpty ? 0 : TextMetrics.lineHeight() + 2
        let titleHeight = title.isEmpty ? 4 : TextMetrics.lineHeight(scale: 2) + 8
        let gridWidth = columns * (cellWidth + gap) + gap
        // A caption wraps to the grid's width (at least 160 pixels) instead of widening it.
        let width = max(gridWidth, TextMetrics.width(of: title, scale: 2) + 2 * gap, caption == nil ? 0 : 160)
        let captionText = caption.map { Canvas.wrap($0, toWidth: width - 2 * gap).joined(separator: "\n") }
        let captionHeight = captionText.map { TextMetrics.height(of: $0) + 6 } ?? 0
        let height = titleHeight + rows * (cellHeight + labelHeight + gap) + gap + captionHeight
        var canvas = Canvas(width: width, height: height)
        canvas.drawText(title, centerX: width / 2, y: 6, scale: 2, maxWidth: width - 2 * gap)
        let left = (width - gridWidth) / 2 + gap
        for (index, tile) in tiles.enumerated() {
            let row = index / max(columns, 1), column = index % max(columns, 1)
            let x = left + column * (cellWidth + gap)
            let y = titleHeight + row * (cellHeight + labelHeight + gap)
            let size = sizes[index]
            let tileX = x + (cellWidth - size.width) / 2, tileY = y + (cellHeight - size.height) / 2
            canvas.drawCanvas(tile, x: tileX, y: tileY, targetWidth: size.width, targetHeight: size.height,
                              interpolation: interpolation)
            canvas.strokeRect(x: tileX - 1, y: tileY - 1, width: size.width + 2, height: size.height + 2,
                              color: .lightGray)
            if index < labels.count {
                canvas.drawText(labels[index], centerX: x + cellWidth / 2, y: y + cellHeight + 3,
                                maxWidth: cellWidth + gap - 2)
            }
        }
        if let captionText {
            canvas.drawText(captionText, x: gap, y: height - captionHeight + 2, color: .darkGray)
        }
        return canvas
    }
}
