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
    /// GrabCut's rectangle in image pixels, when one was used (given or found from the saliency).
    public let box: (x: Int, y: Int, width: Int, height: Int)?

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
        if let box, image.width == width && image.height == height {
            let thickness = Swift.max(2, Swift.min(width, height) / 150)
            cutout.strokeRect(x: box.x, y: box.y, width: box.width, height: box.height,
                              color: RGBColor(red: 0.1, green: 0.4, blue: 1), thickness: thickness)
        }
        let maskPicture = Colormap.gray.render(mask.values, width: width, height: height) ?? Canvas(width: 1, height: 1)
        return TechniqueCanvas.panels(
            title: "graph-cut segmentation from saliency",
            pictures: [Canvas(image: image), maskPicture, cutout], labels: ["image", "mask", "foreground"],
            caption: "seeds: \(foregroundSeeds) fg, \(backgroundSeeds) bg\(box == nil ? "" : " (outside the blue box)"); \(rounds) rounds; foreground \(NumberLabel.format(100 * foregroundFraction))%")
    }
}
