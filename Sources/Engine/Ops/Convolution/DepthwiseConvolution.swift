/// Direct loops for depthwise convolution (one input and one output channel per group).
///
/// im2col would multiply a 1×9 matrix by a 9×P one per channel: all overhead. Here each
/// kernel tap adds a scaled, shifted input row to an output row; with stride 1 the inner
/// loop is contiguous and the compiler vectorizes it (AVX2 on this machine). Channels are
/// independent and are split across the cores.
struct DepthwiseConvolution {
    let geometry: ConvolutionGeometry

    /// output[n, c] = bias[c] + Σ_taps weight[c, tap] · shifted input[n, c].
    func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                 output: UnsafeMutablePointer<Float>, activation: FusedActivation) {
        let g = geometry
        let taps = g.kernelHeight * g.kernelWidth
        let kernel = DepthwisePlaneKernel(height: g.height, width: g.width, kernelHeight: g.kernelHeight,
                                          kernelWidth: g.kernelWidth, stride: g.stride, dilation: g.dilation,
                                          padTop: g.padTop, padLeft: g.padLeft, outHeight: g.outHeight, outWidth: g.outWidth)
        Parallel.forEach(g.batch * g.inChannels, workPerUnit: taps * g.outPlane) { unit in
            let channel = unit % g.inChannels
            ScratchBuffers.shared.withBuffer(count: kernel.scratchCount) { scratch in
                kernel.correlate(input: input + unit * g.inPlane, kernel: weight + channel * taps, bias: bias?[channel] ?? 0,
                                 output: output + unit * g.outPlane, accumulate: false, scratch: scratch,
                                 activation: activation)
            }
        }
    }

    /// Adds weightᵀ-scaled output gradients back into the input gradient.
    /// With `overwrite` (stride 1 only) the input gradient is written rather than added to.
    func backwardInput(outputGradient: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                       inputGradient: UnsafeMutablePointer<Float>, overwrite: Bool = false) {
        let g = geometry
        let taps = g.kernelHeight * g.kernelWidth
        if g.stride == 1 {
            // With stride 1 the adjoint is itself a correlation: of the output gradient with the
            // kernel flipped in both axes and padding (k - 1)·d - p, which the SIMD kernel does.
            var flipped = [Float](repeating: 0, count: g.inChannels * taps)
            for channel in 0..<g.inChannels {
                for tap in 0..<taps { flipped[channel * taps + tap] = weight[channel * taps + taps - 1 - tap] }
            }
            let kernel = DepthwisePlaneKernel(height: g.outHeight, width: g.outWidth, kernelHeight: g.kernelHeight,
                                              kernelWidth: g.kernelWidth, stride: 1, dilation: g.dilation,
                                              padTop: (g.kernelHeight - 1) * g.dilation - g.padTop,
                                              padLeft: (g.kernelWidth - 1) * g.dilation - g.padLeft,
                                              outHeight: g.height, outWidth: g.width)
            flipped.withUnsafeBufferPointer { flippedBuffer in
                guard let flippedWeight = flippedBuffer.baseAddress else { return }
                Parallel.forEach(g.batch * g.inChannels, workPerUnit: taps * g.outPlane) { unit in
                    let channel = unit % g.inChannels
                    ScratchBuffers.shared.withBuffer(count: kernel.scratchCount) { scratch in
                        kernel.correlate(input: outputGradient + unit * g.outPlane, kernel: flippedWeight + channel * taps,
                                         bias: 0, output: inputGradient + unit * g.inPlane, accumulate: !overwrite, scratch: scratch,
                                         activation: .none)
                    }
                }
            }
            return
        }
        Parallel.forEach(g.batch * g.inChannels, workPerUnit: taps * g.outPlane) { unit in
            let channel = unit % g.inChannels
            let source = outputGradient + unit * g.outPlane
            let target = inputGradient + unit * g.inPlane
            forEachTap(weight: weight, channel: channel) { tapWeight, rows, columns, rowOffset, columnOffset in
                for oy in rows {
                    let inRow = target + (oy * g.stride + rowOffset) * g.width + columnOffset
                    let outRow = source + oy * g.outWidth
                    if g.stride == 1 {
                        for ox in columns { inRow[ox] += tapWeight * outRow[ox] }
                    } else {
                        for ox in columns { inRow[ox * g.stride] += tapWeight * outRow[ox] }
                    }
                }
            }
        }
    }

    /// Adds dLoss/dweight (and dLoss/dbias if asked) for every channel, summed over the batch.
    func backwardWeight(outputGradient: UnsafePointer<Float>, input: UnsafePointer<Float>,
                        weightGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?) {
        let g = geometry
        let taps = g.kernelHeight * g.kernelWidth
        // Parallel over channels only: images of a batch add into the same weights.
        Parallel.forEach(g.inChannels, workPerUnit: g.batch * taps * g.outPlane) { channel in
            for image in 0..<g.batch {
                let unit = image * g.inChannels + channel
                let gradient = outputGradient + unit * g.outPlane
                if let biasGradient {
                    var total: Float = 0
                    for index in 0..<g.outPlane { total += gradient[index] }
                    biasGradient[channel] += total
                }
                guard let weightGradient else { continue }
                let source = input + unit * g.inPlane
                for ky in 0..<g.kernelHeight {
                    let rowOffset = ky * g.dilation - g.padTop
                    let rows = ConvolutionGeometry.validOutputs(outputs: g.outHeight, stride: g.stride, offset: rowOffset, size: g.height)
                    for kx in 0..<g.kernelWidth {
                        let columnOffset = kx * g.dilation - g.padLeft
                        let columns = ConvolutionGeometry.validOutputs(outputs: g.outWidth, stride: g.stride, offset: columnOffset, size: g.width)
                        var total: Float = 0
                        for oy in rows {
                            let inRow = source + (oy * g.stride + rowOffset) * g.width + columnOffset
                            let outRow = gradient + oy * g.outWidth
                            for ox in columns { total += outRow[ox] * inRow[ox * g.stride] }
                        }
                        weightGradient[channel * taps + ky * g.kernelWidth + kx] += total
                    }
                }
            }
        }
    }

    /// Calls `body(weight, validRows, validColumns, rowOffset, columnOffset)` for each tap of
    /// `channel` that touches the input at all.
    @inline(__always)
    private func forEachTap(weight: UnsafePointer<Float>, channel: Int,
                            _ body: (Float, Range<Int>, Range<Int>, Int, Int) -> Void) {
        let g = geometry
        let kernel = weight + channel * g.kernelHeight * g.kernelWidth
        for ky in 0..<g.kernelHeight {
            let rowOffset = ky * g.dilation - g.padTop
            let rows = ConvolutionGeometry.validOutputs(outputs: g.outHeight, stride: g.stride, offset: rowOffset, size: g.height)
            guard !rows.isEmpty else { continue }
            for kx in 0..<g.kernelWidth {
                let columnOffset = kx * g.dilation - g.padLeft
                let columns = ConvolutionGeometry.validOutputs(outputs: g.outWidth, stride: g.stride, offset: columnOffset, size: g.width)
                guard !columns.isEmpty else { continue }
                body(kernel[ky * g.kernelWidth + kx], rows, columns, rowOffset, columnOffset)
            }
        }
    }
}
