/// What the occluding square is filled with (lecture 000, 1.10: "set all values inside the
/// rectangle to the average pixel value: typically 0 in transformed space, but some grey value
/// in regular RGB space").
public enum OcclusionFill: Equatable, Sendable {
    /// The image's own mean, per channel.
    case mean
    /// 0 in the network's input space: the training set's mean colour for mean-subtracted inputs.
    case zero
    /// A grey level in image space (0...1), converted to the input space.
    case gray(Float)

    /// Accepts "mean", "zero" or a number in 0...1.
    public init?(name: String) {
        switch name.lowercased() {
        case "mean", "average": self = .mean
        case "zero", "0": self = .zero
        default:
            guard let value = Float(name), value >= 0, value <= 1 else { return nil }
            self = .gray(value)
        }
    }

    /// The value per input channel for one preprocessed image [1, C, H, W].
    func channelValues(input: Tensor, network: Network) throws -> [Float] {
        let channels = input.shape[1]
        let plane = input.count / channels
        switch self {
        case .mean:
            return (0..<channels).map { channel in
                input.data[(channel * plane)..<((channel + 1) * plane)].reduce(0, +) / Float(plane)
            }
        case .zero:
            return [Float](repeating: 0, count: channels)
        case .gray(let level):
            let (height, width) = network.inputSize
            let imageChannels = channels == 1 ? 1 : 3
            let image = try Image(width: width, height: height, channels: imageChannels,
                                  pixels: [Float](repeating: level, count: width * height * imageChannels))
            let tensor = try network.preprocess(image)
            return (0..<channels).map { tensor.data[$0 * plane + plane / 2] }
        }
    }
}
