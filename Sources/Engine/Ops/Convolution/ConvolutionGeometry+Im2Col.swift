/// im2col and col2im: turning a convolution into one matrix product per group.
///
/// The column matrix of one image and group has a row per (input channel, ky, kx) and a
/// column per output pixel; `weight[Cout/g, Cin/g·kh·kw] · columns` is then the convolution.
extension ConvolutionGeometry {
    /// The column matrix of one image and group: a 1x1 stride-1 convolution's input already is
    /// one, so it is used in place; otherwise im2col fills `scratch`.
    func columnMatrix(_ source: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        if isPointwise { return source }
        im2col(input: source, columns: scratch)
        return UnsafePointer(scratch)
    }

    /// Fills `columns` ([columnRows, outPlane]) from the channels of one image and group.
    /// `input` points at the first of those channels. Padding reads as zero.
    func im2col(input: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
        let taps = kernelHeight * kernelWidth
        Parallel.forEach(inChannelsPerGroup, workPerUnit: taps * outPlane) { channel in
            let plane = input + channel * inPlane
            for ky in 0..<kernelHeight {
                let rowOffset = ky * dilation - padTop
                let validRows = ConvolutionGeometry.validOutputs(outputs: outHeight, stride: stride, offset: rowOffset, size: height)
                for kx in 0..<kernelWidth {
                    let columnOffset = kx * dilation - padLeft
                    let validColumns = ConvolutionGeometry.validOutputs(outputs: outWidth, stride: stride, offset: columnOffset, size: width)
                    let row = columns + ((channel * kernelHeight + ky) * kernelWidth + kx) * outPlane
                    for oy in 0..<outHeight {
                        let target = row + oy * outWidth
                        guard validRows.contains(oy), !validColumns.isEmpty else {
                            target.update(repeating: 0, count: outWidth)
                            continue
                        }
                        let source = plane + (oy * stride + rowOffset) * width + columnOffset
                        for ox in 0..<validColumns.lowerBound { target[ox] = 0 }
                        if stride == 1 {
                            for ox in validColumns { target[ox] = source[ox] }
                        } else {
                            for ox in validColumns { target[ox] = source[ox * stride] }
                        }
                        for ox in validColumns.upperBound..<outWidth { target[ox] = 0 }
                    }
                }
            }
        }
    }

    /// Adds `columns` ([columnRows, outPlane]) back into the channels of one image and group
    /// (the adjoint of `im2col`): each input pixel receives the sum over the taps that read it.
    func col2im(columns: UnsafePointer<Float>, input: UnsafeMutablePointer<Float>) {
        let taps = kernelHeight * kernelWidth
        // Parallel over channels: a channel's taps all write only to that channel's plane.
        Parallel.forEach(inChannelsPerGroup, workPerUnit: taps * outPlane) { channel in
            let plane = input + channel * inPlane
            for ky in 0..<kernelHeight {
                let rowOffset = ky * dilation - padTop
                let validRows = ConvolutionGeometry.validOutputs(outputs: outHeight, stride: stride, offset: rowOffset, size: height)
                for kx in 0..<kernelWidth {
                    let columnOffset = kx * dilation - padLeft
                    let validColumns = ConvolutionGeometry.validOutputs(outputs: outWidth, stride: stride, offset: columnOffset, size: width)
                    guard !validColumns.isEmpty else { continue }
                    let row = columns + ((channel * kernelHeight + ky) * kernelWidth + kx) * outPlane
                    for oy in validRows {
                        let source = row + oy * outWidth
                        let target = plane + (oy * stride + rowOffset) * width + columnOffset
                        if stride == 1 {
                            for ox in validColumns { target[ox] += source[ox] }
                        } else {
                            for ox in validColumns { target[ox * stride] += source[ox] }
                        }
                    }
                }
            }
        }
    }
}
