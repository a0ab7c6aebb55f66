/// MobileNetV2 (Sandler et al. 2018, "MobileNetV2: Inverted Residuals and Linear Bottlenecks")
/// as torchvision builds it (`torchvision.models.mobilenet_v2`, width 1.0), with torchvision's
/// ImageNet weights `mobilenet_v2-b0353104.pth` (a legacy torch state dict), built as a
/// `LayerGraph`.
///
/// torchvision's state-dict names: `features.0.{0,1}` the stem conv and its batch norm;
/// `features.i.conv.*` the inverted residual blocks (i = 1 ... 17): with expansion,
/// `conv.0.{0,1}` expand 1x1, `conv.1.{0,1}` depthwise 3x3, `conv.2` project 1x1, `conv.3` its
/// batch norm; without (block 1), `conv.0.{0,1}` depthwise, `conv.1` project, `conv.2` its batch
/// norm. `features.18.{0,1}` the last 1x1 conv; `classifier.1` the linear layer. PyTorch
/// conventions: padding 1 on every 3x3 conv, batch norm eps 1e-5, input RGB in 0...1 with the
/// ImageNet mean and std, 224x224 after resizing the shorter side to 256. Batch norms and
/// ReLU6 are graph nodes, folded into the convolutions at load time.
public enum MobileNetV2 {
    static let batchNormEpsilon: Float = 1e-5
    /// The paper's Table 2 (torchvision's `inverted_residual_setting`): expansion t, output
    /// channels c, repeats n, stride s of the first repeat.
    static let stages: [(t: Int, c: Int, n: Int, s: Int)] = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]
    static let stemChannels = 32
    static let lastChannels = 1280
    /// torchvision's `classifier.0` (active only in training).
    static let dropout: Float = 0.2

    static func inputConvention(classNames: [String]) throws -> InputConvention {
        try InputConvention(height: 224, width: 224, channelOrder: .rgb, scale: 1, mean: [0.485, 0.456, 0.406],
                            std: [0.229, 0.224, 0.225], resizeShorterSide: 256, classNames: classNames)
    }

    /// The network from torchvision's state dict. Throws `EngineError.shapeMismatch` naming the
    /// file and array when a weight is missing or its shape differs from the architecture.
    public static func load(weights: NamedWeights, classNames: [String]) throws -> GraphNetwork {
        try GraphNetwork(name: "mobilenet_v2", graph: try graph(weights: weights, classes: classNames.count),
                         inputConvention: try inputConvention(classNames: classNames))
    }

    /// Layers conv1 (features.0), block1 ... block17 (features.1 ... 17, each inverted residual
    /// block one layer: expand 1x1, depthwise 3x3, linear project 1x1, each with its batch
    /// norm, and the residual sum), conv_last (features.18), pool, logits.
    public static func graph(weights: NamedWeights, classes: Int) throws -> LayerGraph {
        var builder = GraphBuilder(weights: weights)
        /// conv (no bias) -> batch norm (-> relu6), every shape checked against the architecture.
        func convBN(_ node: String, conv: String, norm: String, from input: String, inChannels: Int, outChannels: Int,
                    kernel: Int, stride: Int = 1, depthwise: Bool = false, relu6: Bool = true, layer: String) throws -> String {
            let weight = try builder.tensor("\(conv).weight", shape: [outChannels, depthwise ? 1 : inChannels, kernel, kernel])
            let attributes = ConvolutionAttributes(stride: stride, padding: .symmetric((kernel - 1) / 2),
                                                   groups: depthwise ? inChannels : 1)
            var last = builder.add("\(node)/conv", .convolution(attributes), [input], parameters: ["weight": weight], layer: layer)
            last = builder.add("\(node)/bn", .batchNorm(epsilon: batchNormEpsilon), [last], parameters: [
                "gamma": try builder.tensor("\(norm).weight", shape: [outChannels]),
                "beta": try builder.tensor("\(norm).bias", shape: [outChannels]),
                "mean": try builder.tensor("\(norm).running_mean", shape: [outChannels]),
                "variance": try builder.tensor("\(norm).running_var", shape: [outChannels]),
            ], layer: layer)
            if relu6 { last = builder.add("\(node)/relu6", .relu6, [last], layer: layer) }
            return last
        }
        var last = try convBN("conv1", conv: "features.0.0", norm: "features.0.1", from: LayerGraph.inputName,
                              inChannels: 3, outChannels: stemChannels, kernel: 3, stride: 2, layer: "conv1")
        var channels = stemChannels
        var index = 1
        for stage in stages {
            for repetition in 0..<stage.n {
                let stride = repetition == 0 ? stage.s : 1
                let layer = "block\(index)", prefix = "features.\(index).conv"
                let input = last, hidden = channels * stage.t
                // torchvision numbers the block's submodules consecutively, so the depthwise and
                // project convs sit one index lower when there is no expand conv.
                var module = 0
                if stage.t != 1 {
                    last = try convBN("\(layer)/expand", conv: "\(prefix).0.0", norm: "\(prefix).0.1", from: last,
                                      inChannels: channels, outChannels: hidden, kernel: 1, layer: layer)
                    module = 1
                }
                last = try convBN("\(layer)/depthwise", conv: "\(prefix).\(module).0", norm: "\(prefix).\(module).1",
                                  from: last, inChannels: hidden, outChannels: hidden, kernel: 3, stride: stride,
                                  depthwise: true, layer: layer)
                last = try convBN("\(layer)/project", conv: "\(prefix).\(module + 1)", norm: "\(prefix).\(module + 2)",
                                  from: last, inChannels: hidden, outChannels: stage.c, kernel: 1, relu6: false, layer: layer)
                if stride == 1 && channels == stage.c {
                    last = builder.add("\(layer)/add", .add, [last, input], layer: layer)
                }
                builder.describe(layer, as: "inverted residual 3x3/\(stride) expand \(stage.t) -> \(stage.c)"
                                 + (stride == 1 && channels == stage.c ? " + skip" : ""))
                channels = stage.c
                index += 1
            }
        }
        last = try convBN("conv_last", conv: "features.18.0", norm: "features.18.1", from: last,
                          inChannels: channels, outChannels: lastChannels, kernel: 1, layer: "conv_last")
        last = builder.add("pool/global", .globalAveragePool, [last], layer: "pool")
        last = builder.add("pool", .flatten, [last], layer: "pool")
        last = builder.add("logits/dropout", .dropout(ratio: dropout), [last], layer: "logits")
        builder.add("logits", .linear, [last], parameters: [
            "weight": try builder.tensor("classifier.1.weight", shape: [classes, lastChannels]),
            "bias": try builder.tensor("classifier.1.bias", shape: [classes]),
        ])
        return try builder.graph()
    }
}
