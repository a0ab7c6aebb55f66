/// The outcome of `Occlusion.compute`.
public struct OcclusionResult {
    /// The image as the network saw it.
    public let image: Image
    public let classIndex: Int
    public let className: String?
    /// Probability of the class for the unoccluded image.
    public let baseline: Float
    /// Probability of the class with the square at each grid position (row = vertical position):
    /// the raw numbers.
    public let probabilities: ScalarMap
    /// The same spread over the input pixels (mean over the squares covering each pixel).
    public let pixelMap: ScalarMap
    public let window: Int
    public let stride: Int
    public let fill: OcclusionFill

    public var targetDescription: String {
        "class \(classIndex)" + (className.map { " \($0)" } ?? "")
    }

    /// The probability heatmap over the image (dark = the class suffers when this part is hidden).
    public func render(toneMap: ToneMap = .minMax, colormap: Colormap = .viridis, alpha: Float = 0.6) -> Canvas {
        let title = "occlusion \(window)px / stride \(stride): P(\(targetDescription)), clean \(NumberLabel.format(baseline))"
        let overlay = HeatmapOverlay(title: title, image: Canvas(image: image),
                                     heatmap: pixelMap.values, heatmapWidth: pixelMap.width,
                                     heatmapHeight: pixelMap.height, toneMap: toneMap, colormap: colormap, alpha: alpha)
        return overlay.render() ?? Canvas(image: image)
    }
}
