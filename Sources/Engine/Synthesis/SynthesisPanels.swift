/// Pictures of several synthesized images beside the dataset images they are compared with
/// (diversity's images over the channel's top patches; facets' visualizations beside their clusters).
enum SynthesisPanels {
    /// `upper` (title, tiles, labels) stacked over `lower`, with an optional curve between and a caption.
    static func stacked(_ upper: TileGrid, over lower: Canvas?, curve: ObjectiveCurve?, caption: String) -> Canvas {
        let top = upper.renderSmooth()
        let middle = curve.map { var c = $0; c.width = top.width; return c.render() }
        let bottom = lower
        let width = Swift.max(top.width, bottom?.width ?? 0)
        let height = top.height + (middle?.height ?? 0) + (bottom?.height ?? 0)
        var canvas = Canvas(width: width, height: height)
        canvas.drawCanvas(top, x: 0, y: 0)
        var y = top.height
        if let middle {
            canvas.drawCanvas(middle, x: 0, y: y)
            y += middle.height
        }
        if let bottom { canvas.drawCanvas(bottom, x: 0, y: y) }
        return canvas.withCaption(caption)
    }
}

extension Diversity.Result {
    /// The `count` images side by side, the mean pairwise Gram similarity over the steps under them,
    /// and the channel's top dataset patches (when given) below.
    public func render(patches: PatchResult?, tileSize: Int = 160) -> Canvas {
        let grid = TileGrid(title: "diversity of \(layer) channel \(channel)", tiles: images.map { Canvas(image: $0) },
                            labels: images.indices.map { "image \($0 + 1)" }, columns: images.count, tileSize: tileSize)
        let curve = ObjectiveCurve(series: [("mean Gram similarity at \(gramLayer)", similarity)], height: 64)
        let start = similarity.first.map { NumberLabel.format($0) } ?? "-"
        let end = similarity.last.map { NumberLabel.format($0) } ?? "-"
        return SynthesisPanels.stacked(grid, over: patches?.render(), curve: curve,
                                       caption: "\(objective.count) steps\(interrupted ? " (stopped)" : ""); mean pairwise Gram similarity at \(gramLayer): \(start) -> \(end)"
                                           + (patches == nil ? "" : "; below: the channel's top dataset patches"))
    }
}
