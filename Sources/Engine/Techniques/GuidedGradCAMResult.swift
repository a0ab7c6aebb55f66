/// Guided Grad-CAM: the fine detail of guided backpropagation kept only where Grad-CAM says the
/// class is (Selvaraju et al. 2017).
public struct GuidedGradCAMResult {
    public let gradCAM: ClassMapResult
    public let guided: InputGradientResult
    /// guided gradient (HWC, image channels) times the upsampled Grad-CAM map: the raw numbers.
    public let product: [Float]

    /// Image, Grad-CAM overlay, guided backprop and their product side by side.
    public func render() -> Canvas {
        let image = guided.image
        let (guidedPicture, _) = TechniqueCanvas.signedCanvas(values: guided.gradient, height: image.height,
                                                              width: image.width, channels: image.channels)
        let (productPicture, caption) = TechniqueCanvas.signedCanvas(values: product, height: image.height,
                                                                     width: image.width, channels: image.channels)
        let heat = ToneMap.minMax.apply(gradCAM.upsampled.values)
        var overlay = Canvas(image: image)
        if let colored = Colormap.viridis.render(heat.values, width: image.width, height: image.height) {
            overlay.overlay(colored, alpha: [0.5])
        }
        return TechniqueCanvas.panels(
            title: "guided Grad-CAM at \(gradCAM.layer): \(gradCAM.targetDescription)",
            pictures: [Canvas(image: image), overlay, guidedPicture, productPicture],
            labels: ["image", "Grad-CAM", "guided backprop", "guided Grad-CAM"], caption: caption)
    }
}
