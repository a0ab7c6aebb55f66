/// What a network expects as input, stated as data: size, channels and their order, pixel
/// range, per-channel normalisation, the resize rule, and the names of its classes.
///
/// Every preprocessing here is, for an image already at the input size, per channel affine:
/// tensor[c] = (image[source(c)] · scale − mean[c]) / std[c], where `image` holds values in
/// 0...1 and `source` reverses the channels for BGR. `preprocess`, `deprocess` and the
/// techniques' `InputSpace` are all derived from this one description, so they cannot disagree.
public struct InputConvention: Equatable, Sendable {
    /// How the tensor's channels relate to an image's.
    public enum ChannelOrder: String, Sendable {
        /// Tensor channel c is image channel c (torchvision, TensorFlow).
        case rgb
        /// Tensor channel c is image channel 2 − c (Caffe, OpenCV-trained networks).
        case bgr
        /// One channel: colour images are converted with ITU-R BT.601 luma weights.
        case gray
    }

    /// Input height and width in pixels.
    public let height: Int
    public let width: Int
    public let channelOrder: ChannelOrder
    /// The pixel range the network was trained on: 1 (values 0...1) or 255 (0...255).
    public let scale: Float
    /// Per tensor channel, in the network's channel order and in units of `scale`.
    public let mean: [Float]
    /// Per tensor channel, in units of `scale`; never zero.
    public let std: [Float]
    /// Images of another size are resized so their shorter side is `resizeShorterSide` (at
    /// least the input's larger side), then centre-cropped to height × width (the usual
    /// ImageNet evaluation rule: 256 then crop 224). An image already at the input size is
    /// used as is.
    public let resizeShorterSide: Int
    /// Class names, indexed like the logits; empty for a feature extractor.
    public let classNames: [String]

    /// Channels of the input tensor: 1 for gray, 3 otherwise.
    public var channels: Int { channelOrder == .gray ? 1 : 3 }

    /// Throws `EngineError.invalid` when sizes are not positive, `scale` is not positive,
    /// `mean`/`std` do not have one value per channel (or one value for all), or a std is 0.
    public init(height: Int, width: Int, channelOrder: ChannelOrder, scale: Float = 1, mean: [Float] = [0],
                std: [Float] = [1], resizeShorterSide: Int? = nil, classNames: [String] = []) throws {
        let channels = channelOrder == .gray ? 1 : 3
        guard height > 0, width > 0 else {
            throw EngineError.invalid("input convention: size must be positive, got \(height)x\(width)")
        }
        guard scale > 0, scale.isFinite else {
            throw EngineError.invalid("input convention: scale (the pixel range) must be positive, got \(scale)")
        }
        func perChannel(_ values: [Float], _ label: String) throws -> [Float] {
            if values.count == 1 { return [Float](repeating: values[0], count: channels) }
            guard values.count == channels else {
                throw EngineError.invalid("input convention: \(label) needs 1 or \(channels) values, got \(values.count)")
            }
            return values
        }
        self.mean = try perChannel(mean, "mean")
        self.std = try perChannel(std, "std")
        guard self.std.allSatisfy({ $0 != 0 && $0.isFinite }), self.mean.allSatisfy(\.isFinite) else {
            throw EngineError.invalid("input convention: std must be finite and non-zero, mean finite (std \(std), mean \(mean))")
        }
        self.height = height
        self.width = width
        self.channelOrder = channelOrder
        self.scale = scale
        self.resizeShorterSide = max(resizeShorterSide ?? max(height, width), max(height, width))
        self.classNames = classNames
    }

    /// The image channel (of 1 or 3) tensor channel `channel` reads.
    public func sourceChannel(_ channel: Int) -> Int {
        channelOrder == .bgr ? 2 - channel : channel
    }

    /// d tensor[c] / d image[source(c)]: scale / std[c].
    public var gain: [Float] { std.map { scale / $0 } }

    /// Image (0...1, any size, gray or colour) -> [1, C, height, width] by the resize rule,
    /// the channel order and the normalisation.
    public func preprocess(_ image: Image) throws -> Tensor {
        let converted = channelOrder == .gray ? image.grayscale() : image.rgb()
        let fitted = try converted.fitted(width: width, height: height, resizeTo: resizeShorterSide)
        return try normalize(fitted)
    }

    /// The normalised tensor [1, C, H, W] of an image with the right channel count, at its own
    /// size (DeepDream and feature inversion work at sizes other than the input size).
    /// Throws `EngineError.shapeMismatch` for an image with another channel count.
    public func normalize(_ image: Image) throws -> Tensor {
        guard image.channels == channels else {
            throw EngineError.shapeMismatch("expected an image with \(channels) channels, got \(image.channels)")
        }
        let plane = image.height * image.width
        var data = [Float](repeating: 0, count: channels * plane)
        image.pixels.withUnsafeBufferPointer { pixels in
            for channel in 0..<channels {
                let (from, mean, std) = (sourceChannel(channel), mean[channel], std[channel])
                for pixel in 0..<plane {
                    data[channel * plane + pixel] = (pixels[pixel * channels + from] * scale - mean) / std
                }
            }
        }
        return try Tensor(shape: [1, channels, image.height, image.width], data: data)
    }

    /// The inverse of `normalize` for a [1, C, H, W] tensor, clamped into 0...1 (an image being
    /// optimised may leave the range). Throws `EngineError.shapeMismatch` for another layout.
    public func deprocess(_ x: Tensor, network: String) throws -> Image {
        let (height, width) = try ImageTensorLayout.planeSize(x, channels: channels, network: network)
        let plane = height * width
        var pixels = [Float](repeating: 0, count: channels * plane)
        x.data.withUnsafeBufferPointer { values in
            for channel in 0..<channels {
                let (to, mean, std) = (sourceChannel(channel), mean[channel], std[channel])
                for pixel in 0..<plane {
                    pixels[pixel * channels + to] = (values[channel * plane + pixel] * std + mean) / scale
                }
            }
        }
        return try Image(width: width, height: height, channels: channels, pixels: pixels).clamped()
    }
}
