/// The gradient of a class score or a unit with respect to the input image's pixels, under one
/// ReLU backward rule: the raw material of saliency maps, guided backpropagation and deconvnet
/// pictures (lecture 000, 1.11 and 1.15; lecture 004).
public struct InputGradientResult {
    /// The image as the network saw it (resized and cropped to the input size).
    public let image: Image
    /// d target / d pixel, HWC with the image's channels, at the image's size. For SmoothGrad,
    /// the mean over the noisy copies.
    public let gradient: [Float]
    /// max over channels of |gradient| (for SmoothGrad: the mean of each copy's map).
    public let saliency: ScalarMap
    public let rule: ReLURule
    /// The class differentiated (for a class target) and its name.
    public let classIndex: Int?
    public let className: String?
    /// The unit differentiated (for a unit target), located on the unmodified image.
    public let unit: UnitLocation?
    /// Noisy copies averaged (1 without SmoothGrad).
    public let samples: Int
    /// True when the class target was its softmax probability rather than its score.
    public var probability: Bool = false

    /// What was differentiated, for titles: "class 281 tabby" or "fire9 channel 12 at (5, 7) = 31.2".
    public var targetDescription: String {
        if let unit {
            // A unit that never fired (value 0 after a ReLU) passes no gradient: say so in the title.
            return "\(unit.layer) channel \(unit.channel) at (\(unit.y), \(unit.x)) = \(NumberLabel.format(unit.value))"
        }
        if let classIndex {
            let name = "class \(classIndex)" + (className.map { " \($0)" } ?? "")
            return probability ? "P(\(name))" : name
        }
        return "target"
    }

    var methodName: String {
        switch rule {
        case .standard: return samples > 1 ? "SmoothGrad (\(samples) samples)" : "gradient"
        case .guided: return "guided backprop"
        case .deconvnet: return "deconvnet"
        }
    }

    /// Image and saliency map side by side (grey, white = salient), as in lecture 000's dog.
    public func renderSaliency(toneMap: ToneMap = .percentile, colormap: Colormap = .gray) -> Canvas {
        let overlay = HeatmapOverlay(title: "saliency (\(methodName)): \(targetDescription)",
                                     image: Canvas(image: image), heatmap: saliency.values,
                                     heatmapWidth: saliency.width, heatmapHeight: saliency.height,
                                     toneMap: toneMap, colormap: colormap, alpha: 1)
        return overlay.render() ?? Canvas(image: image)
    }

    /// Image and the gradient as a picture. Without a tone map, zero is grey and signs show as
    /// brighter or darker colours; with one, all channels are mapped jointly.
    public func renderGradient(toneMap: ToneMap? = nil) -> Canvas {
        let (picture, caption): (Canvas, String)
        if let toneMap {
            (picture, caption) = TechniqueCanvas.canvas(values: gradient, height: image.height, width: image.width,
                                                        channels: image.channels, toneMap: toneMap)
        } else {
            (picture, caption) = TechniqueCanvas.signedCanvas(values: gradient, height: image.height,
                                                              width: image.width, channels: image.channels)
        }
        return TechniqueCanvas.panels(title: "\(methodName): \(targetDescription)",
                                      pictures: [Canvas(image: image), picture],
                                      labels: ["image", methodName], caption: caption)
    }
}
