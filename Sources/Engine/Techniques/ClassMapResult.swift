/// A class-discriminative map over the image: CAM or Grad-CAM (lecture 002).
public struct ClassMapResult {
    /// "CAM" or "Grad-CAM".
    public let method: String
    /// The image as the network saw it.
    public let image: Image
    public let layer: String
    public let classIndex: Int
    public let className: String?
    /// Weight of each channel of the layer: classifier weights for CAM, mean gradients for Grad-CAM.
    public let channelWeights: [Float]
    /// sum_c weight_c * A_c at the layer's resolution (after the ReLU for Grad-CAM): the raw numbers.
    public let layerMap: ScalarMap
    /// `layerMap` bilinearly upsampled to the image.
    public let upsampled: ScalarMap

    public var targetDescription: String {
        "class \(classIndex)" + (className.map { " \($0)" } ?? "")
    }

    /// The map coloured and laid over the image, beside the image alone, with a colour bar.
    public func render(toneMap: ToneMap = .minMax, colormap: Colormap = .viridis, alpha: Float = 0.5) -> Canvas {
        let overlay = HeatmapOverlay(title: "\(method) at \(layer): \(targetDescription)",
                                     image: Canvas(image: image), heatmap: upsampled.values,
                                     heatmapWidth: upsampled.width, heatmapHeight: upsampled.height,
                                     toneMap: toneMap, colormap: colormap, alpha: alpha)
        return overlay.render() ?? Canvas(image: image)
    }
}
