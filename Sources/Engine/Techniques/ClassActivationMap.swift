/// Class activation maps (Zhou et al. 2016) for networks that end in global average pooling.
///
/// Lecture 002: with GAP after the last convolution, logit_k = sum_c W_kc mean(A_c) + b_k, so
/// the classifier weights say how much each channel counts: CAM_k = sum_c W_kc A_c. The weights
/// are read as d logit_k / d pooled_c, which equals W_kc exactly for the linear head CAM
/// requires and needs no knowledge of where a network keeps its classifier. When the pooled
/// vector is itself the logits (SqueezeNet: logits = spatial mean of conv10), the weights are
/// one-hot and the CAM of class k is channel k of the pooled layer.
public enum ClassActivationMap {
    /// CAM of `classIndex` (nil: top-1). The feature layer is found from the layer list: the
    /// last layer with a spatial grid that is followed by a 1 x 1 layer holding its channel means.
    public static func compute(network: Network, image: Image, classIndex: Int?) throws -> ClassMapResult {
        let probe = NetworkProbe(network: network, technique: "cam")
        let (featureLayer, poolLayer) = try poolingLayers(network)
        let input = try probe.input(image)
        let pass = try probe.backpropagate(input, target: .classScore(classIndex), rule: .standard,
                                           capture: [featureLayer, poolLayer])
        let activation = try spatialActivation(pass.activations[featureLayer], layer: featureLayer, technique: "cam")
        let (channels, height, width) = (activation.shape[1], activation.shape[2], activation.shape[3])
        guard let pooled = pass.activations[poolLayer], pooled.count == channels else {
            throw EngineError.unsupported("cam: \(network.name)'s layer '\(poolLayer)' is not a pooled vector of \(featureLayer)'s \(channels) channels")
        }
        // Check the pooled layer really is the spatial mean (global average pooling).
        let means = (0..<channels).map { channel -> Float in
            activation.data[(channel * height * width)..<((channel + 1) * height * width)].reduce(0, +) / Float(height * width)
        }
        let largest = means.map { Swift.abs($0) }.max() ?? 0
        for channel in 0..<channels where Swift.abs(means[channel] - pooled.data[channel]) > 1e-3 * Swift.max(1, largest) {
            throw EngineError.unsupported("cam: \(network.name) does not end in global average pooling ('\(poolLayer)' is not the mean of '\(featureLayer)'); use gradcam")
        }
        let weights = pooled.grad ?? [Float](repeating: 0, count: channels)
        let map = weightedSum(activation, weights: weights)
        return try result(method: "CAM", network: network, input: input, layer: featureLayer,
                          classIndex: pass.classIndex ?? 0, weights: weights, map: map, height: height, width: width)
    }

    /// The last layer with a spatial grid larger than 1 x 1 that is directly followed by a 1 x 1
    /// layer with the same channel count.
    static func poolingLayers(_ network: Network) throws -> (feature: String, pool: String) {
        let layers = network.layers
        for index in stride(from: layers.count - 2, through: 0, by: -1) {
            let feature = layers[index].outputShape, pool = layers[index + 1].outputShape
            guard feature.count == 3, feature[1] * feature[2] > 1 else { continue }
            if pool.first == feature[0], pool.dropFirst().allSatisfy({ $0 == 1 }) {
                return (layers[index].name, layers[index + 1].name)
            }
            break
        }
        throw EngineError.unsupported("cam: \(network.name) does not end in global average pooling after its last convolution; use gradcam(net, img, class, layer: ...)")
    }

    /// Checks a captured activation is [1, C, H, W].
    static func spatialActivation(_ tensor: Tensor?, layer: String, technique: String) throws -> Tensor {
        guard let tensor else {
            throw EngineError.invalid("\(technique): the network did not record layer '\(layer)'")
        }
        guard tensor.rank == 4, tensor.shape[0] == 1 else {
            throw EngineError.unsupported("\(technique): layer '\(layer)' has shape \(tensor.shape); a map needs a [1, C, H, W] layer")
        }
        return tensor
    }

    /// sum_c weights[c] * A[0, c] as a flat H x W buffer.
    static func weightedSum(_ activation: Tensor, weights: [Float]) -> [Float] {
        let plane = activation.shape[2] * activation.shape[3]
        var map = [Float](repeating: 0, count: plane)
        for (channel, weight) in weights.enumerated() where weight != 0 {
            let base = channel * plane
            for index in 0..<plane { map[index] += weight * activation.data[base + index] }
        }
        return map
    }

    static func result(method: String, network: Network, input: Tensor, layer: String, classIndex: Int,
                       weights: [Float], map: [Float], height: Int, width: Int) throws -> ClassMapResult {
        let layerMap = ScalarMap(validHeight: height, width: width, values: map)
        let (inputHeight, inputWidth) = network.inputSize
        return ClassMapResult(
            method: method, image: try network.deprocess(input.detached()), layer: layer, classIndex: classIndex,
            className: classIndex < network.classNames.count ? network.classNames[classIndex] : nil,
            channelWeights: weights, layerMap: layerMap,
            upsampled: layerMap.resized(height: inputHeight, width: inputWidth))
    }
}
