/// How a network's input tensor relates to the image it was made from, so gradients with
/// respect to the tensor can be shown as gradients with respect to the image's RGB pixels.
///
/// Networks normalise differently (SqueezeNet: BGR, 0...255 minus a mean; EfficientNet-Lite:
/// RGB, (x - 127) / 128; LeNet: gray). For an image already at the input size, every
/// preprocessing here is per channel affine, possibly reordering channels:
/// tensor[c] = scale[c] * image[source[c]] + offset[c]. Instead of trusting each network to
/// describe itself, the map is measured by preprocessing constant images, which stays correct
/// for any network whose preprocessing has that form.
struct InputSpace {
    /// Channels of the network input.
    let tensorChannels: Int
    /// Channels of the image (1 or 3).
    let imageChannels: Int
    /// For each tensor channel: which image channel it reads, and d tensor / d image.
    let source: [Int]
    let scale: [Float]
    /// The tensor value of a black pixel, per tensor channel.
    let offset: [Float]

    init(network: Network) throws {
        let (height, width) = network.inputSize
        let channels = network.inputChannels
        let imageChannels = channels == 1 ? 1 : 3
        func constantTensor(_ values: [Float]) throws -> [Float] {
            let pixels = (0..<(height * width)).flatMap { _ in values }
            let tensor = try network.preprocess(try Image(width: width, height: height, channels: imageChannels, pixels: pixels))
            guard tensor.count == channels * height * width else {
                throw EngineError.shapeMismatch("\(network.name): preprocess gave \(tensor.shape), expected [1, \(channels), \(height), \(width)]")
            }
            // The centre value of each channel plane.
            let centre = (height / 2) * width + width / 2
            return (0..<channels).map { tensor.data[$0 * height * width + centre] }
        }
        let zero = try constantTensor([Float](repeating: 0, count: imageChannels))
        var source = [Int](repeating: 0, count: channels)
        var scale = [Float](repeating: 0, count: channels)
        for imageChannel in 0..<imageChannels {
            var probe = [Float](repeating: 0, count: imageChannels)
            probe[imageChannel] = 1
            let response = try constantTensor(probe)
            for channel in 0..<channels where abs(response[channel] - zero[channel]) > 1e-6 {
                source[channel] = imageChannel
                scale[channel] = response[channel] - zero[channel]
            }
        }
        self.tensorChannels = channels
        self.imageChannels = imageChannels
        self.source = source
        self.scale = scale
        self.offset = zero
    }

    /// The network input for an image of any size, by the same per-channel affine map
    /// (DeepDream works on images larger or smaller than the network's input size).
    func tensor(from image: Image) throws -> Tensor {
        guard image.channels == imageChannels else {
            throw EngineError.shapeMismatch("expected an image with \(imageChannels) channels, got \(image.channels)")
        }
        let plane = image.height * image.width
        var values = [Float](repeating: 0, count: tensorChannels * plane)
        for channel in 0..<tensorChannels {
            let (from, factor, shift) = (source[channel], scale[channel], offset[channel])
            for index in 0..<plane {
                values[channel * plane + index] = factor * image.pixels[index * imageChannels + from] + shift
            }
        }
        return try Tensor(shape: [1, tensorChannels, image.height, image.width], data: values)
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
