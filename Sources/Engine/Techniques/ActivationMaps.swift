/// Activation channels of one layer for one image (lecture 000, 1.6: a W x H x C tensor gives
/// C grayscale images).
public enum ActivationMaps {
    /// The maps of `channels` (nil: all, up to `limit`) of `layer` for `image`.
    public static func compute(network: Network, image: Image, layer: String, channels: [Int]? = nil,
                               limit: Int = 64) throws -> ActivationResult {
        let probe = NetworkProbe(network: network, technique: "activations")
        var result: ActivationResult?
        try probe.activationBatches([image], layer: layer, progress: nil) { _, activation in
            guard activation.rank == 4 else {
                throw EngineError.unsupported("activations: layer '\(layer)' has shape \(activation.shape); maps need a [N, C, H, W] layer")
            }
            let (count, height, width) = (activation.shape[1], activation.shape[2], activation.shape[3])
            let chosen = channels ?? Array(0..<Swift.min(count, Swift.max(1, limit)))
            for channel in chosen where channel < 0 || channel >= count {
                throw EngineError.invalid("activations: channel \(channel) is outside 0..<\(count) of layer '\(layer)'")
            }
            let plane = height * width
            let maps = chosen.map { channel in
                ScalarMap(validHeight: height, width: width,
                          values: Array(activation.data[(channel * plane)..<((channel + 1) * plane)]))
            }
            result = ActivationResult(layer: layer, channels: chosen, maps: maps, channelCount: count)
        }
        guard let result else { throw EngineError.invalid("activations: no output for layer '\(layer)'") }
        return result
    }
}
