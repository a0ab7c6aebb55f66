/// Receptive field bookkeeping along one spatial axis, layer by layer.
///
/// For a layer with kernel k, stride s, dilation d and left/top padding p applied to an input
/// whose units have receptive field r, jump j and first centre c:
///   r' = r + (k - 1) * d * j,   j' = j * s,   c' = c + ((k - 1) * d / 2 - p) * j.
/// (Araujo et al., "Computing receptive fields of convolutional neural networks", Distill 2019.)
/// `size` tracks the spatial extent so SAME padding and global pooling can be resolved.
struct ReceptiveField: Equatable {
    var size: Int
    var field = 1
    var jump = 1
    var start = 0.0

    init(inputSize: Int) {
        size = inputSize
    }

    /// After a convolution or pooling window with explicit padding.
    mutating func window(kernel: Int, stride: Int, padding: Int, dilation: Int = 1, ceilMode: Bool = false) {
        let effective = (kernel - 1) * dilation + 1
        let span = size + 2 * padding - effective
        var output = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1
        if ceilMode, (output - 1) * stride >= size + padding { output -= 1 }
        start += (Double(effective - 1) / 2 - Double(padding)) * Double(jump)
        field += (effective - 1) * jump
        jump *= stride
        size = output
    }

    /// After a window with TensorFlow SAME padding (output ceil(size / stride), smaller half on the left).
    mutating func sameWindow(kernel: Int, stride: Int) {
        let output = (size + stride - 1) / stride
        let total = max((output - 1) * stride + kernel - size, 0)
        let before = size
        window(kernel: kernel, stride: stride, padding: total / 2)
        // The right padding may differ from the left; the output size is SAME's, not the symmetric formula's.
        size = (before + stride - 1) / stride
    }

    /// After an operation that sees the whole plane (global pooling, a fully connected layer).
    mutating func global() {
        start += Double(size - 1) / 2 * Double(jump)
        field += (size - 1) * jump
        size = 1
    }
}
