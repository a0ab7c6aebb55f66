/// Receptive field bookkeeping along one spatial axis.
///
/// For a window with kernel k, stride s, dilation d and padding p before the first input unit,
/// applied to units with receptive field r, jump j and first centre c:
///   r' = r + (k - 1) * d * j,   j' = j * s,   c' = c + ((k - 1) * d / 2 - p) * j.
/// (Araujo et al., "Computing receptive fields of convolutional neural networks", Distill 2019.)
/// The output size comes from shape inference, so padding after the last unit (asymmetric,
/// SAME, ceil mode) needs no formula here.
struct ReceptiveField: Equatable {
    /// Units along the axis.
    var size: Int
    var field = 1
    var jump = 1
    var start = 0.0

    init(inputSize: Int) {
        size = inputSize
    }

    /// After a convolution or pooling window with `paddingBefore` units of padding before the
    /// first input, producing `outputSize` units.
    mutating func window(kernel: Int, stride: Int, paddingBefore: Int, dilation: Int = 1, outputSize: Int) {
        let effective = (kernel - 1) * dilation + 1
        start += (Double(effective - 1) / 2 - Double(paddingBefore)) * Double(jump)
        field += (effective - 1) * jump
        jump *= stride
        size = outputSize
    }

    /// After an operation that sees the whole axis (global pooling, a fully connected layer).
    mutating func global() {
        start += Double(size - 1) / 2 * Double(jump)
        field += (size - 1) * jump
        size = 1
    }

    /// Where branches meet (add, mul, concat), the field of the output is that of the branch
    /// with the largest field: a unit sees everything any of its inputs sees, and the largest
    /// field contains the others when branches start from a common tensor. Inputs broadcast
    /// from one unit (a squeeze-and-excitation gate) are left out when a full-size input
    /// exists: they scale a unit without moving where it looks, and counting their global
    /// field would make every gated layer look at the whole image.
    static func merged(_ fields: [ReceptiveField], outputSize: Int) -> ReceptiveField? {
        let located = fields.filter { $0.size == outputSize }
        let candidates = located.isEmpty ? fields : located
        guard var widest = candidates.max(by: { $0.field < $1.field }) else { return nil }
        widest.size = outputSize
        return widest
    }
}
