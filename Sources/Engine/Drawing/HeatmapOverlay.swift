/// A heatmap (occlusion, saliency, CAM) coloured and laid semi-transparently over its image, with
/// the image alone beside it for comparison, a colour bar in the data's units, a title and the
/// tone map's caption.
///
/// The heatmap spans the whole `image`: techniques pass the image as the network saw it (its
/// centre crop), never the photo it came from, so each value lands where it was measured. NaN
/// marks a value never measured: the image shows through uncoloured there, and the colour scale
/// runs over the measured values only.
public struct HeatmapOverlay: Sendable {
    public var title: String
    public var image: Canvas
    public var heatmap: [Float]
    public var heatmapWidth: Int
    public var heatmapHeight: Int
    public var toneMap: ToneMap = .minMax
    public var colormap: Colormap = .viridis
    /// Opacity of the heatmap over the image (0 shows only the image).
    public var alpha: Float = 0.5
    /// Longer side of each panel in pixels.
    public var panelSize: Int = 224

    public init(title: String, image: Canvas, heatmap: [Float], heatmapWidth: Int, heatmapHeight: Int,
                toneMap: ToneMap = .minMax, colormap: Colormap = .viridis, alpha: Float = 0.5) {
        self.title = title
        self.image = image
        self.heatmap = heatmap
        self.heatmapWidth = heatmapWidth
        self.heatmapHeight = heatmapHeight
        self.toneMap = toneMap
        self.colormap = colormap
        self.alpha = alpha
    }

    /// nil when the heatmap's buffer does not match its width x height.
    public func render() -> Canvas? {
        guard heatmapWidth > 0, heatmapHeight > 0, heatmap.count == heatmapWidth * heatmapHeight,
              image.width > 0, image.height > 0 else { return nil }
        let mapped = toneMap.apply(heatmap)
        guard let colored = colormap.render(mapped.values, width: heatmapWidth, height: heatmapHeight) else { return nil }
        let longer = max(image.width, image.height)
        let panelWidth = image.width * panelSize / longer, panelHeight = image.height * panelSize / longer
        var picture = Canvas(width: panelWidth, height: panelHeight)
        picture.drawCanvas(image, x: 0, y: 0, targetWidth: panelWidth, targetHeight: panelHeight, interpolation: .bilinear)
        var blended = picture
        var scaled = Canvas(width: panelWidth, height: panelHeight)
        scaled.drawCanvas(colored, x: 0, y: 0, targetWidth: panelWidth, targetHeight: panelHeight, interpolation: .bilinear)
        blended.overlay(scaled, alpha: opacity(panelWidth: panelWidth, panelHeight: panelHeight))
        let gap = 10
        let titleHeight = TextMetrics.lineHeight(scale: 2) + 10
        let barWidth = Canvas.colorbarWidth(low: mapped.low, high: mapped.high)
        let caption = "tone: \(mapped.caption), \(colormap.rawValue), alpha \(NumberLabel.format(alpha))"
        let width = max(2 * panelWidth + 3 * gap + barWidth + gap, TextMetrics.width(of: title, scale: 2) + 2 * gap)
        // The caption wraps to the panels' width rather than widening the picture.
        let captionText = Canvas.wrap(caption, toWidth: width - 2 * gap).joined(separator: "\n")
        let height = titleHeight + panelHeight + gap + TextMetrics.height(of: captionText) + 8
        var canvas = Canvas(width: width, height: height)
        canvas.drawText(title, centerX: width / 2, y: 6, scale: 2, maxWidth: width - 2 * gap)
        canvas.drawCanvas(picture, x: gap, y: titleHeight)
        canvas.drawCanvas(blended, x: 2 * gap + panelWidth, y: titleHeight)
        canvas.drawColorbar(x: 3 * gap + 2 * panelWidth, y: titleHeight, height: panelHeight, colormap: colormap,
                            low: mapped.low, high: mapped.high)
        canvas.drawText(captionText, x: gap, y: titleHeight + panelHeight + gap, color: .darkGray)
        return canvas
    }

    /// `alpha` over each panel pixel whose nearest heatmap value was measured, 0 over the others
    /// (one value when every value was measured).
    func opacity(panelWidth: Int, panelHeight: Int) -> [Float] {
        guard heatmap.contains(where: \.isNaN) else { return [alpha] }
        var opacity = [Float](repeating: 0, count: panelWidth * panelHeight)
        for y in 0..<panelHeight {
            let row = Swift.min(y * heatmapHeight / panelHeight, heatmapHeight - 1)
            for x in 0..<panelWidth {
                let column = Swift.min(x * heatmapWidth / panelWidth, heatmapWidth - 1)
                opacity[y * panelWidth + x] = heatmap[row * heatmapWidth + column].isNaN ? 0 : alpha
            }
        }
        return opacity
    }
}
