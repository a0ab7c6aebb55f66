import Engine
@testable import Language

/// A 2x2 RGB "network" whose logits are the mean of each input channel: answers known by hand.
final class ToyNetwork: Network {
    let name = "toy"
    let inputSize = (height: 2, width: 2)
    let inputChannels = 3
    let classNames = ["tabby, tabby cat", "crane", "crane", "tiger cat"]
    var layers: [LayerInfo] {
        [LayerInfo(name: "pixels", kind: "input", outputShape: [3, 2, 2], receptiveField: 1, jump: 1, start: 0.5, parameterCount: 0),
         LayerInfo(name: "means", kind: "global average pool", outputShape: [4, 1, 1], receptiveField: 2, jump: 2, start: 1, parameterCount: 0)]
    }

    /// RGB values as they are, no resizing.
    var inputConvention: InputConvention {
        get throws { try InputConvention(height: 2, width: 2, channelOrder: .rgb, classNames: classNames) }
    }

    func preprocess(_ image: Image) throws -> Tensor {
        var chw = [Float](repeating: 0, count: 12)
        for y in 0..<2 { for x in 0..<2 { for c in 0..<3 { chw[c * 4 + y * 2 + x] = image.value(x: x, y: y, channel: c) } } }
        return try Tensor(shape: [1, 3, 2, 2], data: chw)
    }

    func deprocess(_ x: Tensor) throws -> Image {
        try Image(width: 2, height: 2, channels: 3, value: 0)
    }

    func forward(_ x: Tensor, capture: Set<String>, until: String?) throws -> (output: Tensor, activations: [String: Tensor]) {
        let means = (0..<3).map { c in x.data[(c * 4)..<(c * 4 + 4)].reduce(0, +) / 4 }
        return (try Tensor(shape: [1, 4], data: means + [0]), [:])
    }

    /// A session holding `net` (this network) and `img`, a 2x2 picture with channel means 0.5, 0.25 and 1.
    static func session() throws -> Session {
        let session = Session()
        session.assign("net", .engine(.model(ModelValue(network: ToyNetwork(), source: "toy"))))
        let pixels: [Float] = [0, 0.5, 1, 1, 0, 1, 0.5, 0.5, 1, 0.5, 0, 1]
        session.assign("img", .engine(.picture(Picture(image: try Image(width: 2, height: 2, channels: 3, pixels: pixels), title: "toy"))))
        return session
    }
}
