/// Spatial padding of a convolution.
public enum Padding: Equatable, Sendable {
    /// Fixed zero padding on each side.
    case explicit(top: Int, left: Int, bottom: Int, right: Int)
    /// TensorFlow "SAME": output size ceil(input / stride); the total padding needed is split
    /// with the smaller half on top/left (so odd totals put the extra row at the bottom/right,
    /// unlike PyTorch's symmetric padding; EfficientNet-Lite's weights depend on it).
    case same

    /// The same padding on all four sides.
    public static func symmetric(_ amount: Int) -> Padding {
        .explicit(top: amount, left: amount, bottom: amount, right: amount)
    }

    /// Resolves to (top, left, bottom, right) for one input size and kernel geometry.
    func resolve(height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
                 stride: Int, dilation: Int) -> (top: Int, left: Int, bottom: Int, right: Int) {
        switch self {
        case let .explicit(top, left, bottom, right):
            return (top, left, bottom, right)
        case .same:
            func split(_ size: Int, _ kernel: Int) -> (Int, Int) {
                let output = (size + stride - 1) / stride
                let effectiveKernel = (kernel - 1) * dilation + 1
                let total = max((output - 1) * stride + effectiveKernel - size, 0)
                return (total / 2, total - total / 2)
            }
            let (top, bottom) = split(height, kernelHeight)
            let (left, right) = split(width, kernelWidth)
            return (top, left, bottom, right)
        }
    }
}
