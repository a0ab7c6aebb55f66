/// Grad-CAM (Selvaraju et al. 2017) and guided Grad-CAM.
///
/// Lecture 002: "same idea as CAM, but no modifications required to the network: weight each
/// feature map by the gradient of the class with respect to it". The weight of channel k is the
/// spatial mean of d score / d A_k; the map is ReLU(sum_k w_k A_k), upsampled bilinearly to the
/// image. Guided Grad-CAM multiplies it pixel-wise with guided backpropagation.
public enum GradCAM {
    /// Grad-CAM of `classIndex` (nil: top-1) at `layer`, which must be an [N, C, H, W] layer.
    public static func compute(network: Network, image: Image, classIndex: Int?, layer: String) throws -> ClassMapResult {
        let probe = NetworkProbe(network: network, technique: "gradcam")
        _ = try probe.layer(layer)
        let input = try probe.input(image)
        let pass = try probe.backpropagate(input, target: .classScore(classIndex), rule: .standard, capture: [layer])
        let activation = try ClassActivationMap.spatialActivation(pass.activations[layer], layer: layer, technique: "gradcam")
        let (channels, height, width) = (activation.shape[1], activation.shape[2], activation.shape[3])
        let gradient = activation.grad ?? [Float](repeating: 0, count: activation.count)
        let plane = height * width
        var weights = [Float](repeating: 0, count: channels)
        for channel in 0..<channels {
            var total: Float = 0
            for index in 0..<plane { total += gradient[channel * plane + index] }
            weights[channel] = total / Float(plane)
        }
        var map = ClassActivationMap.weightedSum(activation, weights: weights)
        for index in map.indices { map[index] = Swift.max(map[index], 0) }
        let classIndexResolved = pass.classIndex ?? 0
        return try ClassActivationMap.result(method: "Grad-CAM", network: network, input: input, layer: layer,
                                             classIndex: classIndexResolved, weights: weights,
                                             map: map, height: height, width: width)
    }

    /// Guided Grad-CAM: guided backpropagation of the class score times the upsampled Grad-CAM map.
    public static func guided(network: Network, image: Image, classIndex: Int?, layer: String) throws -> GuidedGradCAMResult {
        let map = try compute(network: network, image: image, classIndex: classIndex, layer: layer)
        let guided = try InputGradient.compute(network: network, image: image, target: .classScore(map.classIndex),
                                               options: InputGradient.Options(rule: .guided))
        let channels = guided.image.channels
        var product = guided.gradient
        for index in product.indices { product[index] *= map.upsampled.values[index / channels] }
        return GuidedGradCAMResult(gradCAM: map, guided: guided, product: product)
    }
}
