/// Sizes of one 2-D convolution (or pooling window), validated once and shared by the
/// forward and backward kernels.
struct ConvolutionGeometry {
    let batch: Int
    let inChannels: Int
    let height: Int
    let width: Int
    let outChannels: Int
    let kernelHeight: Int
    let kernelWidth: Int
    let stride: Int
    let dilation: Int
    let groups: Int
    let padTop: Int
    let padLeft: Int
    let outHeight: Int
    let outWidth: Int

    var inChannelsPerGroup: Int { inChannels / groups }
    var outChannelsPerGroup: Int { outChannels / groups }
    var inPlane: Int { height * width }
    var outPlane: Int { outHeight * outWidth }
    /// Rows of the im2col matrix of one group: one per (input channel, kernel tap).
    var columnRows: Int { inChannelsPerGroup * kernelHeight * kernelWidth }
    /// A 1×1, stride-1, unpadded convolution is a plain matrix product on the input itself.
    var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padTop == 0 && padLeft == 0
            && outHeight == height && outWidth == width
    }
    /// One input and one output channel per group (MobileNet/EfficientNet depthwise layers).
    var isDepthwise: Bool { inChannelsPerGroup == 1 && outChannelsPerGroup == 1 }

    /// Validates a convolution of `input` [N, Cin, H, W] by `weight` [Cout, Cin/groups, kh, kw].
    init(input: [Int], weight: [Int], stride: Int, padding: Padding, dilation: Int, groups: Int) throws {
        guard input.count == 4 else { throw EngineError.shapeMismatch("conv2d: input must be [N, C, H, W], got \(input)") }
        guard weight.count == 4 else {
            throw EngineError.shapeMismatch("conv2d: weight must be [Cout, Cin/groups, kh, kw], got \(weight)")
        }
        guard stride >= 1, dilation >= 1, groups >= 1 else {
            throw EngineError.invalid("conv2d: stride (\(stride)), dilation (\(dilation)) and groups (\(groups)) must be at least 1")
        }
        guard input[1] % groups == 0, weight[0] % groups == 0 else {
            throw EngineError.shapeMismatch("conv2d: \(input[1]) input and \(weight[0]) output channels are not divisible into \(groups) groups")
        }
        guard weight[1] == input[1] / groups else {
            throw EngineError.shapeMismatch("conv2d: input has \(input[1]) channels in \(groups) group(s), so weight needs \(input[1] / groups) per group, got weight \(weight)")
        }
        let pads = padding.resolve(height: input[2], width: input[3], kernelHeight: weight[2], kernelWidth: weight[3],
                                   stride: stride, dilation: dilation)
        try self.init(batch: input[0], channels: input[1], height: input[2], width: input[3],
                      outChannels: weight[0], kernelHeight: weight[2], kernelWidth: weight[3],
                      stride: stride, dilation: dilation, groups: groups, pads: pads, ceilMode: false,
                      operation: "conv2d")
    }

    /// Shared by convolution and pooling. `ceilMode` rounds the output size up (PyTorch's rule:
    /// the last window must start inside the input or its left padding).
    init(batch: Int, channels: Int, height: Int, width: Int, outChannels: Int,
         kernelHeight: Int, kernelWidth: Int, stride: Int, dilation: Int, groups: Int,
         pads: (top: Int, left: Int, bottom: Int, right: Int), ceilMode: Bool, operation: String) throws {
        guard kernelHeight >= 1, kernelWidth >= 1 else {
            throw EngineError.invalid("\(operation): kernel size must be at least 1, got \(kernelHeight)×\(kernelWidth)")
        }
        guard pads.top >= 0, pads.left >= 0, pads.bottom >= 0, pads.right >= 0 else {
            throw EngineError.invalid("\(operation): padding must be non-negative, got \(pads)")
        }
        func outputSize(_ size: Int, _ kernel: Int, _ before: Int, _ after: Int) -> Int {
            let span = size + before + after - (kernel - 1) * dilation - 1
            guard span >= 0 else { return 0 }
            if !ceilMode { return span / stride + 1 }
            var output = (span + stride - 1) / stride + 1
            if (output - 1) * stride >= size + before { output -= 1 }
            return output
        }
        let outHeight = outputSize(height, kernelHeight, pads.top, pads.bottom)
        let outWidth = outputSize(width, kernelWidth, pads.left, pads.right)
        guard outHeight >= 1, outWidth >= 1 else {
            throw EngineError.shapeMismatch("\(operation): a \(kernelHeight)×\(kernelWidth) window (dilation \(dilation)) does not fit in a \(height)×\(width) input with padding \(pads)")
        }
        self.batch = batch
        self.inChannels = channels
        self.height = height
        self.width = width
        self.outChannels = outChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.dilation = dilation
        self.groups = groups
        self.padTop = pads.top
        self.padLeft = pads.left
        self.outHeight = outHeight
        self.outWidth = outWidth
    }

    /// The output positions o (0..<outputs) whose input index o·stride + offset lies in 0..<size.
    /// Computed once per kernel tap so the inner loops need no bounds tests.
    @inline(__always)
    static func validOutputs(outputs: Int, stride: Int, offset: Int, size: Int) -> Range<Int> {
        let lower = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let last = size - 1 - offset
        let upper = last < 0 ? 0 : last / stride + 1
        let clampedUpper = min(upper, outputs)
        return lower < clampedUpper ? lower..<clampedUpper : 0..<0
    }
}
