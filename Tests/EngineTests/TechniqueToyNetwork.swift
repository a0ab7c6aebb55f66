@testable import Engine

/// A small network assembled from tensor ops in a test, with answers computable by hand.
///
/// Preprocessing is per channel affine, tensor[c] = (image[source(c)] - offset) * scale, with an
/// optional channel reversal (like SqueezeNet's BGR), so tests also check that gradients are
/// brought back to image space correctly.
final class TechniqueToyNetwork: Network {
    struct Stage {
        let name: String
        let kind: String
        let outputShape: [Int]
        let receptiveField: Int
        let jump: Int
        let start: Double
        let apply: (Tensor) throws -> Tensor
    }

    let name: String
    let inputSize: (height: Int, width: Int)
    let inputChannels: Int
    let stages: [Stage]
    let scale: Float
    let offset: Float
    let reverseChannels: Bool
    /// When set, preprocessing first fits any image like the real networks do (shorter side to
    /// this, centre crop to the input size); otherwise the image must have the input size.
    let resizeTo: Int?
    var classNames: [String]
    /// Number of forward calls and items seen, to check batching.
    var forwardCalls = 0
    var itemsSeen = 0

    init(name: String = "toy", height: Int, width: Int, channels: Int, stages: [Stage], classes: Int,
         scale: Float = 1, offset: Float = 0, reverseChannels: Bool = false, resizeTo: Int? = nil) {
        self.name = name
        inputSize = (height, width)
        inputChannels = channels
        self.stages = stages
        self.scale = scale
        self.offset = offset
        self.reverseChannels = reverseChannels
        self.resizeTo = resizeTo
        classNames = (0..<classes).map { "class\($0)" }
    }

    var layers: [LayerInfo] {
        stages.map { LayerInfo(name: $0.name, kind: $0.kind, outputShape: $0.outputShape, receptiveField: $0.receptiveField,
                               jump: $0.jump, start: $0.start, parameterCount: 0) }
    }

    /// The preprocessing below as a convention: (image - offset) * scale is mean offset, std 1 / scale.
    var inputConvention: InputConvention {
        get throws {
            try InputConvention(height: inputSize.height, width: inputSize.width,
                                channelOrder: inputChannels == 1 ? .gray : (reverseChannels ? .bgr : .rgb),
                                scale: 1, mean: [offset], std: [1 / scale], resizeShorterSide: resizeTo, classNames: classNames)
        }
    }

    func sourceChannel(_ channel: Int) -> Int { reverseChannels ? inputChannels - 1 - channel : channel }

    func preprocess(_ photo: Image) throws -> Tensor {
        let (height, width) = inputSize
        let image = try resizeTo.map { try photo.fitted(width: width, height: height, resizeTo: $0) } ?? photo
        guard image.height == height, image.width == width, image.channels == inputChannels else {
            throw EngineError.shapeMismatch("toy: expects \(height) x \(width) x \(inputChannels)")
        }
        var values = [Float](repeating: 0, count: inputChannels * height * width)
        for channel in 0..<inputChannels {
            for index in 0..<(height * width) {
                values[channel * height * width + index] =
                    (image.pixels[index * inputChannels + sourceChannel(channel)] - offset) * scale
            }
        }
        return try Tensor(shape: [1, inputChannels, height, width], data: values)
    }

    func deprocess(_ x: Tensor) throws -> Image {
        let (height, width) = inputSize
        var pixels = [Float](repeating: 0, count: inputChannels * height * width)
        for channel in 0..<inputChannels {
            for index in 0..<(height * width) {
                pixels[index * inputChannels + sourceChannel(channel)] = x.data[channel * height * width + index] / scale + offset
            }
        }
        return try Image(width: width, height: height, channels: inputChannels, pixels: pixels)
    }

    func forward(_ x: Tensor, capture: Set<String>, until: String?) throws -> (output: Tensor, activations: [String: Tensor]) {
        forwardCalls += 1
        itemsSeen += x.shape[0]
        var current = x
        var activations: [String: Tensor] = [:]
        for stage in stages {
            current = try stage.apply(current)
            if capture.contains(stage.name) { activations[stage.name] = current }
            if stage.name == until { break }
        }
        return (current, activations)
    }

    /// An image whose preprocessed tensor is `values` (CHW), by inverting the preprocessing.
    func image(forTensor values: [Float]) throws -> Image {
        try deprocess(try Tensor(shape: [1, inputChannels, inputSize.height, inputSize.width], data: values))
    }
}

extension TechniqueToyNetwork.Stage {
    init(_ name: String, _ shape: [Int], rf: Int = 1, jump: Int = 1, start: Double = 0,
         _ apply: @escaping (Tensor) throws -> Tensor) {
        self.init(name: name, kind: name, outputShape: shape, receptiveField: rf, jump: jump, start: start, apply: apply)
    }
}

/// Seeded random values in [-1, 1).
func techniqueRandomValues(_ count: Int, seed: UInt64) -> [Float] {
    var random = SeededRandom(seed: seed)
    return (0..<count).map { _ in random.uniform(-1, 1) }
}
