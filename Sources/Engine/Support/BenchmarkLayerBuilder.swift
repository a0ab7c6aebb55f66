/// Makes random layers and chains them into the benchmark architectures.
struct BenchmarkLayerBuilder {
    var generator: SeededRandom

    typealias Layer = (Tensor) throws -> Tensor

    /// A convolution with He-initialized weights; `batchNorm` folds a random inference batch
    /// norm into it (EfficientNet's conv-BN pairs, eps 1e-3).
    mutating func convolution(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1,
                              padding: Padding, groups: Int = 1, batchNorm: Bool = false,
                              activation: FusedActivation = .none) throws -> Layer {
        let fanIn = Float(inChannels / groups * kernel * kernel)
        var weight = try Tensor.randomNormal(shape: [outChannels, inChannels / groups, kernel, kernel],
                                             standardDeviation: (2 / fanIn).squareRoot(), using: &generator)
        var bias = try Tensor.randomNormal(shape: [outChannels], standardDeviation: 0.01, using: &generator)
        if batchNorm {
            let mean = try Tensor.randomNormal(shape: [outChannels], standardDeviation: 0.01, using: &generator)
            let variance = try Tensor.randomUniform(shape: [outChannels], low: 0.9, high: 1.1, using: &generator)
            let gamma = try Tensor.randomUniform(shape: [outChannels], low: 0.9, high: 1.1, using: &generator)
            (weight, bias) = try BatchNormFolding.fold(weight: weight, bias: nil, mean: mean, variance: variance,
                                                       gamma: gamma, beta: bias, eps: 1e-3)
        }
        return {
            try $0.conv2d(weight: weight, bias: bias, stride: stride, padding: padding, groups: groups, activation: activation)
        }
    }

    mutating func squeezeNet() throws -> Layer {
        let conv1 = try convolution(3, 64, kernel: 3, stride: 2, padding: .symmetric(0), activation: .relu)
        let fireSizes = [(64, 16, 64), (128, 16, 64), (128, 32, 128), (256, 32, 128),
                         (256, 48, 192), (384, 48, 192), (384, 64, 256), (512, 64, 256)]
        var fires: [Layer] = []
        for (inChannels, squeeze, expand) in fireSizes {
            let squeezeLayer = try convolution(inChannels, squeeze, kernel: 1, padding: .symmetric(0), activation: .relu)
            let expand1 = try convolution(squeeze, expand, kernel: 1, padding: .symmetric(0), activation: .relu)
            let expand3 = try convolution(squeeze, expand, kernel: 3, padding: .symmetric(1), activation: .relu)
            fires.append { x in
                let s = try squeezeLayer(x)
                return try Tensor.concat([expand1(s), expand3(s)], axis: 1)
            }
        }
        let conv10 = try convolution(512, 1000, kernel: 1, padding: .symmetric(0), activation: .relu)
        return { input in
            var x = try conv1(input).maxPool2d(kernel: 3, stride: 2, ceilMode: true)
            for (index, fire) in fires.enumerated() {
                x = try fire(x)
                if index == 1 || index == 3 { x = try x.maxPool2d(kernel: 3, stride: 2, ceilMode: true) }
            }
            return try conv10(x).globalAvgPool().flatten()
        }
    }

    mutating func efficientNetLite0() throws -> Layer {
        let stem = try convolution(3, 32, kernel: 3, stride: 2, padding: .same, batchNorm: true, activation: .relu6)
        // (kernel, stride, expansion, output channels, repeats) of the seven stages.
        let stages = [(3, 1, 1, 16, 1), (3, 2, 6, 24, 2), (5, 2, 6, 40, 2), (3, 2, 6, 80, 3),
                      (5, 1, 6, 112, 3), (5, 2, 6, 192, 4), (3, 1, 6, 320, 1)]
        var blocks: [Layer] = []
        var channels = 32
        for (kernel, firstStride, expansion, outChannels, repeats) in stages {
            for repeatIndex in 0..<repeats {
                let stride = repeatIndex == 0 ? firstStride : 1
                let hidden = channels * expansion
                let expand: Layer? = expansion == 1 ? nil
                    : try convolution(channels, hidden, kernel: 1, padding: .symmetric(0), batchNorm: true, activation: .relu6)
                let depthwise = try convolution(hidden, hidden, kernel: kernel, stride: stride, padding: .same,
                                                groups: hidden, batchNorm: true, activation: .relu6)
                let project = try convolution(hidden, outChannels, kernel: 1, padding: .symmetric(0), batchNorm: true)
                let residual = stride == 1 && channels == outChannels
                blocks.append { x in
                    let y = try project(depthwise(expand?(x) ?? x))
                    return residual ? try y + x : y
                }
                channels = outChannels
            }
        }
        let head = try convolution(320, 1280, kernel: 1, padding: .symmetric(0), batchNorm: true, activation: .relu6)
        let classifier = try Tensor.randomNormal(shape: [1000, 1280], standardDeviation: 0.03, using: &generator)
        let classifierBias = try Tensor(zeros: [1000])
        return { input in
            var x = try stem(input)
            for block in blocks { x = try block(x) }
            x = try head(x).globalAvgPool().flatten()
            return try x.linear(weight: classifier, bias: classifierBias)
        }
    }
}
