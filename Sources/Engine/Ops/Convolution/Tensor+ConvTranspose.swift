/// Transposed 2-D convolution (ONNX ConvTranspose, PyTorch ConvTranspose2d): the adjoint of a
/// convolution with respect to its input, run as a forward pass. It shares the im2col/col2im
/// products of `conv2d` (`ConvolutionGeometry+Products`): its forward is a convolution's input
/// gradient, its input gradient is a convolution's forward.
extension Tensor {
    /// Transposed convolution of this [N, Cin, H, W] input with `weight` [Cin, Cout/groups, kh, kw]
    /// (ONNX's and PyTorch's layout) plus an optional `bias` [Cout]. The output is
    /// [N, Cout, Ho, Wo] with Ho = stride · (H − 1) + outputPadding.0 + (kh − 1) · dilation + 1 −
    /// top − bottom (https://onnx.ai/onnx/operators/onnx__ConvTranspose.html), and likewise Wo.
    /// `pads` are removed from the output's borders. Throws when the output would be empty, when
    /// channels do not divide into groups, or when an output padding is not smaller than the
    /// stride (those rows would see no input; PyTorch refuses them too).
    public func convTranspose2d(weight: Tensor, bias: Tensor?, stride: Int = 1,
                                pads: (top: Int, left: Int, bottom: Int, right: Int) = (0, 0, 0, 0),
                                outputPadding: (Int, Int) = (0, 0), dilation: Int = 1, groups: Int = 1) throws -> Tensor {
        try Cancellation.check()
        let g = try ConvolutionGeometry(transposedInput: shape, weight: weight.shape, stride: stride, pads: pads,
                                        outputPadding: outputPadding, dilation: dilation, groups: groups)
        // The geometry describes the convolution this op is the adjoint of: its input is our output.
        if let bias, bias.shape != [g.inChannels] {
            throw EngineError.shapeMismatch("convTranspose2d: bias has shape \(bias.shape), expected [\(g.inChannels)] (one per output channel)")
        }
        let input = self
        let outputCount = g.batch * g.inChannels * g.inPlane
        let values = [Float](unsafeUninitializedCapacity: outputCount) { output, initialized in
            input.data.withUnsafeBufferPointer { x in
                weight.data.withUnsafeBufferPointer { w in
                    guard let out = output.baseAddress, let x = x.baseAddress, let w = w.baseAddress else {
                        output.initialize(repeating: 0)
                        return
                    }
                    g.correlateAdjoint(output: x, weight: w, input: out, overwrite: true)
                    if let bias {
                        for image in 0..<g.batch {
                            for channel in 0..<g.inChannels {
                                let plane = out + (image * g.inChannels + channel) * g.inPlane
                                let value = bias.data[channel]
                                for index in 0..<g.inPlane { plane[index] += value }
                            }
                        }
                    }
                }
            }
            initialized = outputCount
        }
        let parents = [input, weight] + (bias.map { [$0] } ?? [])
        return Tensor.makeResult(shape: [g.batch, g.inChannels, g.height, g.width], data: values, parents: parents) { outputGradient, _ in
            outputGradient.withUnsafeBufferPointer { dyBuffer in
                guard let dy = dyBuffer.baseAddress else { return }
                bias?.accumulateGradient { db in
                    Tensor.addChannelSums(of: dy, batch: g.batch, channels: g.inChannels, plane: g.inPlane, into: db)
                }
                // dX = correlate(dY): the convolution whose adjoint the forward was.
                input.accumulateGradient { dxBuffer in
                    guard let dx = dxBuffer.baseAddress else { return }
                    weight.data.withUnsafeBufferPointer { w in
                        guard let w = w.baseAddress else { return }
                        ScratchBuffers.shared.withBuffer(count: dxBuffer.count) { scratch in
                            g.correlate(input: dy, weight: w, output: scratch)
                            for index in 0..<dxBuffer.count { dx[index] += scratch[index] }
                        }
                    }
                }
                // dW = X · columns(dY)ᵀ, the convolution's weight gradient with X as its output gradient.
                weight.accumulateGradient { dw in
                    guard let dw = dw.baseAddress else { return }
                    input.data.withUnsafeBufferPointer { x in
                        guard let x = x.baseAddress else { return }
                        g.correlateWeightGradient(output: x, input: dy, weight: dw)
                    }
                }
            }
        }
    }
}

extension ConvolutionGeometry {
    /// The geometry of the convolution whose input-adjoint is a transposed convolution of an
    /// input `transposedInput` [N, Cin, H, W] by `weight` [Cin, Cout/groups, kh, kw]: that
    /// convolution reads [N, Cout, Ho, Wo] (the transposed convolution's output) and writes
    /// [N, Cin, H, W].
    init(transposedInput input: [Int], weight: [Int], stride: Int, pads: (top: Int, left: Int, bottom: Int, right: Int),
         outputPadding: (Int, Int), dilation: Int, groups: Int) throws {
        let operation = "convTranspose2d"
        guard input.count == 4 else { throw EngineError.shapeMismatch("\(operation): input must be [N, C, H, W], got \(input)") }
        guard weight.count == 4 else { throw EngineError.shapeMismatch("\(operation): weight must be [Cin, Cout/groups, kh, kw], got \(weight)") }
        guard stride >= 1, dilation >= 1, groups >= 1 else {
            throw EngineError.invalid("\(operation): stride (\(stride)), dilation (\(dilation)) and groups (\(groups)) must be at least 1")
        }
        guard weight[0] == input[1], input[1] % groups == 0 else {
            throw EngineError.shapeMismatch("\(operation): input has \(input[1]) channels, weight \(weight) needs \(weight[0]) divisible into \(groups) groups")
        }
        guard outputPadding.0 >= 0, outputPadding.1 >= 0, outputPadding.0 < stride, outputPadding.1 < stride else {
            throw EngineError.invalid("\(operation): output padding \(outputPadding) must be non-negative and smaller than the stride \(stride)")
        }
        let sizes = [(input[2], weight[2], pads.top + pads.bottom, outputPadding.0), (input[3], weight[3], pads.left + pads.right, outputPadding.1)]
        let out = sizes.map { size, kernel, padding, extra in stride * (size - 1) + extra + (kernel - 1) * dilation + 1 - padding }
        guard out.allSatisfy({ $0 >= 1 }) else {
            throw EngineError.shapeMismatch("\(operation): pads \(pads) remove the whole \(input[2])x\(input[3]) output")
        }
        try self.init(batch: input[0], channels: weight[1] * groups, height: out[0], width: out[1], outChannels: input[1],
                      kernelHeight: weight[2], kernelWidth: weight[3], stride: stride, dilation: dilation, groups: groups,
                      pads: pads, ceilMode: false, operation: operation)
        // With output padding < stride, the window count of the adjoint convolution is the input size again.
        guard outHeight == input[2], outWidth == input[3] else {
            throw EngineError.shapeMismatch("\(operation): output \(out) does not map back onto the \(input[2])x\(input[3]) input")
        }
    }
}
