/// The outcome of `GraphCutSegmentation.segment`.
public struct SegmentationResult {
    /// 1 for foreground, 0 for background, at the image's resolution.
    public let mask: ScalarMap
    /// How many pixels the saliency map fixed as foreground and as background.
    public let foregroundSeeds: Int
    public let backgroundSeeds: Int
    /// Rounds of (fit colour models, cut) actually run before the labelling settled.
    public let rounds: Int
    /// Value of the last minimum cut (the energy of the labelling).
    public let cutEnergy: Double

    /// Share of the pixels labelled foreground.
    public var foregroundFraction: Float {
        mask.values.reduce(0, +) / Float(mask.values.count)
    }
}

extension SegmentationResult {
    /// The image, the mask, and the image with the background dimmed and the boundary outlined.
    public func render(image: Image) -> Canvas {
        var cutout = Canvas(image: image)
        let (height, width) = (mask.height, mask.width)
        if image.width == width && image.height == height {
            for y in 0..<height {
                for x in 0..<width where mask[y, x] < 0.5 {
                    cutout.blendPixel(x: x, y: y, color: .white, alpha: 0.75)
                }
            }
            for y in 0..<height {
                for x in 0..<width where mask[y, x] >= 0.5 {
                    let edge = (x == 0 || mask[y, x - 1] < 0.5) || (y == 0 || mask[y - 1, x] < 0.5)
                        || (x == width - 1 || mask[y, x + 1] < 0.5) || (y == height - 1 || mask[y + 1, x] < 0.5)
                    if edge { cutout.setPixel(x: x, y: y, color: RGBColor(red: 1, green: 0.1, blue: 0.1)) }
                }
            }
        }
        let maskPicture = Colormap.gray.render(mask.values, width: width, height: height) ?? Canvas(width: 1, height: 1)
        return TechniqueCanvas.panels(
            title: "graph-cut segmentation from saliency",
            pictures: [Canvas(image: image), maskPicture, cutout], labels: ["image", "mask", "foreground"],
            caption: "seeds: \(foregroundSeeds) fg, \(backgroundSeeds) bg; \(rounds) rounds; foreground \(NumberLabel.format(100 * foregroundFraction))%")
    }
}
