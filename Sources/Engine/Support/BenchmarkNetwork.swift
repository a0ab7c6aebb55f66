/// Random-weight replicas of the two benchmark architectures, for timing the engine alone.
///
/// `bench/engine` compares our latency with PyTorch's on the same layer shapes. These
/// replicas do not need the pretrained files (the figures do not depend on weight values),
/// so the engine can be timed before and independently of the networks' loaders.
/// They are built the way a loader should build the real networks: inference batch norms
/// folded into the convolutions (`BatchNormFolding`) and ReLU/ReLU6 fused into them.
public enum BenchmarkNetwork: String, CaseIterable, Sendable {
    /// SqueezeNet 1.1 at 227×227 (conv1 stride 2, fire2-fire9, ceil-mode max pools, conv10).
    case squeezeNet11 = "squeezenet1_1"
    /// EfficientNet-Lite0 at 224×224 (SAME padding, ReLU6, 16 MBConv blocks without SE).
    case efficientNetLite0 = "efficientnet_lite0"

    public var inputSize: Int { self == .squeezeNet11 ? 227 : 224 }

    /// Builds the network with He-initialized random weights from `seed`; returns its forward.
    public func makeForward(seed: UInt64 = 1) throws -> (Tensor) throws -> Tensor {
        var builder = BenchmarkLayerBuilder(generator: SeededRandom(seed: seed))
        switch self {
        case .squeezeNet11: return try builder.squeezeNet()
        case .efficientNetLite0: return try builder.efficientNetLite0()
        }
    }
}
