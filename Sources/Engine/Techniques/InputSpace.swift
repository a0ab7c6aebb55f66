/// How a network's input tensor relates to the image it was made from, so gradients with
/// respect to the tensor can be shown as gradients with respect to the image's RGB pixels.
///
/// Read from the network's `InputConvention`: for an image already at the input size every
/// preprocessing is per channel affine, possibly reordering channels:
/// tensor[c] = scale[c] * image[source[c]] + offset[c], with scale = pixel range / std and
/// offset = -mean / std.
struct InputSpace {
    let convention: InputConvention
    /// Channels of the network input.
    var tensorChannels: Int { convention.channels }
    /// Channels of the image (1 or 3).
    var imageChannels: Int { convention.channels }
    /// For each tensor channel: which image channel it reads, and d tensor / d image.
    let source: [Int]
    let scale: [Float]
    /// The tensor value of a black pixel, per tensor channel.
    let offset: [Float]

    init(network: Network) throws {
        self.init(convention: try network.inputConvention)
    }

    init(convention: InputConvention) {
        self.convention = convention
        source = (0..<convention.channels).map(convention.sourceChannel)
        scale = convention.gain
        offset = zip(convention.mean, convention.std).map { -$0 / $1 }
    }

    /// The network input for an image of any size, by the same per-channel affine map as
    /// `preprocess` (DeepDream works on images larger or smaller than the network's input size).
    func tensor(from image: Image) throws -> Tensor {
        try convention.normalize(image)
    }

    /// A gradient over one tensor item [C, H, W] (starting at `offset` in `gradient`) as a
    /// gradient over the image's pixels, HWC with `imageChannels` channels.
    func imageGradient(_ gradient: [Float], offset: Int = 0, height: Int, width: Int) -> [Float] {
        let plane = height * width
        var result = [Float](repeating: 0, count: plane * imageChannels)
        for channel in 0..<tensorChannels {
            let target = source[channel]
            let factor = scale[channel]
            let base = offset + channel * plane
            for index in 0..<plane {
                result[index * imageChannels + target] += factor * gradient[base + index]
            }
        }
        return result
    }
}
