/// The autoencoder's panel under `train`'s curves, after ConvNetJS's autoencoder demo: a row of
/// examples with the network's reconstruction of each under it, and beside them the examples'
/// codes as a scatter coloured by class (the demo's "firings of neurons" plot of the bottleneck).
public struct ReconstructionPanel {
    /// One example's shape: channels 1 or 3, height, width.
    public let channels: Int, height: Int, width: Int
    /// Originals and reconstructions, CHW (planar, as tensors hold them), one array per example.
    public var originals: [[Float]]
    public var reconstructions: [[Float]]
    /// n x 2 row-major code coordinates (the first two code units).
    public var codes: [Float]
    /// One class per code (empty: one colour), named by `classNames`.
    public var labels: [Int]
    public var classNames: [String]
    /// The scatter's title ("code (2 units)").
    public var codeTitle: String

    /// Examples shown in the rows, and their side in pixels.
    public static let shown = 8
    public static let tile = 40
    /// The scatter's plotting square, pixels.
    public static let plotSide = 250

    public init(channels: Int, height: Int, width: Int, originals: [[Float]], reconstructions: [[Float]],
                codes: [Float], labels: [Int], classNames: [String], codeTitle: String) {
        self.channels = channels
        self.height = height
        self.width = width
        self.originals = originals
        self.reconstructions = reconstructions
        self.codes = codes
        self.labels = labels
        self.classNames = classNames
        self.codeTitle = codeTitle
    }

    /// The panel: the two rows (360 pixels wide) and the scatter beside them (its 250-pixel
    /// square with title, axes and legend, about 310 pixels high). Examples whose arrays do
    /// not fit the shape draw nothing.
    public func render() -> Canvas {
        let tile = ReconstructionPanel.tile, step = tile + 4
        let rowsWidth = ReconstructionPanel.shown * step + 8
        var scatter = ScatterPlot(title: codeTitle, points: codes, labels: labels.count == codes.count / 2 ? labels : [],
                                  classNames: classNames)
        (scatter.plotWidth, scatter.plotHeight, scatter.markerRadius) = (ReconstructionPanel.plotSide, ReconstructionPanel.plotSide, 1)
        let plot = scatter.render()
        var canvas = Canvas(width: rowsWidth + (plot?.width ?? 0), height: max(2 * tile + 60, plot?.height ?? 0))
        canvas.drawText("originals", x: 0, y: 4)
        canvas.drawText("reconstructions", x: 0, y: 24 + tile + 6)
        for (row, examples) in [originals, reconstructions].enumerated() {
            for (index, planar) in examples.prefix(ReconstructionPanel.shown).enumerated() {
                draw(&canvas, planar, x: index * step, y: 18 + row * (tile + 26), side: tile)
            }
        }
        if let plot { canvas.drawCanvas(plot, x: rowsWidth, y: 0) }
        return canvas
    }

    /// Draws one planar example scaled to side x side, clamped to 0...1 (a reconstruction
    /// overshoots a little; the clamp shows it as the nearest displayable grey).
    private func draw(_ canvas: inout Canvas, _ planar: [Float], x: Int, y: Int, side: Int) {
        let plane = height * width
        guard planar.count == channels * plane else { return }
        var pixels = [Float](repeating: 0, count: planar.count)
        for c in 0..<channels {
            for p in 0..<plane { pixels[p * channels + c] = planar[c * plane + p] }
        }
        canvas.drawPicture(pixels: pixels, width: width, height: height, channels: channels, x: x, y: y,
                           targetWidth: side, targetHeight: side)
        canvas.strokeRect(x: x - 1, y: y - 1, width: side + 2, height: side + 2, color: .lightGray)
    }
}
