/// Small drawing helpers the technique renderers share.
enum TechniqueCanvas {
    /// HWC values (1 or 3 channels) as a canvas after mapping them to 0...1 jointly.
    static func canvas(values: [Float], height: Int, width: Int, channels: Int, toneMap: ToneMap) -> (Canvas, String) {
        let mapped = toneMap.apply(values)
        var canvas = Canvas(width: width, height: height)
        canvas.drawPicture(pixels: mapped.values, width: width, height: height, channels: channels,
                           x: 0, y: 0, targetWidth: width, targetHeight: height)
        return (canvas, mapped.caption)
    }

    /// Signed values (gradients) shown with zero as mid-grey and +-`percentile` of |x| as the
    /// extremes: the usual way guided-backprop pictures are shown, robust to a few huge values.
    static func signedCanvas(values: [Float], height: Int, width: Int, channels: Int,
                             percentile: Float = 99.5) -> (Canvas, String) {
        let magnitudes = values.map { Swift.abs($0) }.sorted()
        let scale = Quantile.ofSorted(magnitudes, percentile / 100)
        let mapped = values.map { scale > 0 ? Swift.min(Swift.max(0.5 + 0.5 * $0 / scale, 0), 1) : 0.5 }
        var canvas = Canvas(width: width, height: height)
        canvas.drawPicture(pixels: mapped, width: width, height: height, channels: channels,
                           x: 0, y: 0, targetWidth: width, targetHeight: height)
        return (canvas, "tone: signed, 0 = grey, +-p\(NumberLabel.format(percentile)) |x| = \(NumberLabel.format(scale))")
    }

    /// Pictures side by side under a title, each with a label, and a caption line underneath.
    static func panels(title: String, pictures: [Canvas], labels: [String], caption: String?,
                       panelSize: Int = 224) -> Canvas {
        TileGrid(title: title, tiles: pictures, labels: labels, caption: caption,
                 columns: pictures.count, tileSize: panelSize).renderSmooth()
    }
}

extension TileGrid {
    /// Renders with bilinear scaling (photographs and heatmaps rather than pixel data).
    func renderSmooth() -> Canvas {
        var grid = self
        grid.interpolation = .bilinear
        return grid.render()
    }
}
