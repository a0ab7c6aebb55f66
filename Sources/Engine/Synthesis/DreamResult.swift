/// A dreamed image, with where it came from.
public struct DreamResult {
    public let image: Image
    public let original: Image
    public let layer: String
    public let network: String
    public let octaves: Int
    public let steps: Int
    /// 1/2 mean(a^2) at the layer on the first and the last step.
    public let startValue: Float
    public let finalValue: Float
    /// True when an interrupt (or a stop control) ended the run early: `image` is the dream so
    /// far, at the original's size, and `steps` counts the steps done.
    public var interrupted = false

    /// Original and dream side by side, with the settings and the objective's rise as a caption.
    public func render(panelSize: Int = 320) -> Canvas {
        TechniqueCanvas.panels(title: "DeepDream at \(network) \(layer)",
                               pictures: [Canvas(image: original), Canvas(image: image)],
                               labels: ["image", "dream"],
                               caption: "\(octaves) octaves, \(steps) steps\(interrupted ? " (stopped)" : ""); 1/2 mean a^2: \(NumberLabel.format(startValue)) -> \(NumberLabel.format(finalValue))",
                               panelSize: panelSize)
    }
}
