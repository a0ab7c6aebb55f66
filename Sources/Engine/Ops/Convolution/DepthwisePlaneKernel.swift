/// The inner kernel of depthwise convolution: one input plane correlated with one small
/// kernel into one output plane, eight outputs at a time in SIMD registers.
///
/// The plane is first copied into a zero-bordered scratch plane wide enough that every
/// eight-wide load of every tap stays inside it. The main loop then has no bounds tests and
/// no scalar edge path (which dominated on the 7×7 and 14×14 planes of late layers): for each
/// run of eight outputs the sum over the taps stays in a register and is stored once.
/// Stride 2 loads sixteen inputs and keeps the even ones.
struct DepthwisePlaneKernel {
    let height: Int
    let width: Int
    let kernelHeight: Int
    let kernelWidth: Int
    let stride: Int
    let dilation: Int
    /// May be negative (the backward correlates with different padding than the forward had).
    let padTop: Int
    let padLeft: Int
    let outHeight: Int
    let outWidth: Int

    /// Outputs computed per block: 32 as four SIMD8 accumulators (independent adds hide the
    /// latency of the chain) on wide rows, 8 on the narrow rows of late layers to limit waste.
    var blockWidth: Int { outWidth > 16 ? 32 : 8 }
    /// Output columns rounded up to whole blocks.
    private var vectorWidth: Int { (outWidth + blockWidth - 1) / blockWidth * blockWidth }
    /// Width of the bordered plane: the last block's last tap, plus the overrun of stride-2 loads
    /// (which read 16 floats and keep the even ones).
    var paddedWidth: Int { (vectorWidth - 1) * stride + (kernelWidth - 1) * dilation + 1 + (stride == 2 ? 1 : 0) }
    var paddedHeight: Int { (outHeight - 1) * stride + (kernelHeight - 1) * dilation + 1 }
    /// Floats of scratch space `correlate` needs: the bordered plane and one output row.
    var scratchCount: Int { paddedHeight * paddedWidth + vectorWidth }

    /// output (+)= bias + Σ_taps kernel[ky, kx] · input[oy·s + ky·d - padTop, ox·s + kx·d - padLeft],
    /// reading zero outside the input, then `activation` (when not accumulating).
    /// `scratch` holds at least `scratchCount` floats.
    func correlate(input: UnsafePointer<Float>, kernel: UnsafePointer<Float>, bias: Float,
                   output: UnsafeMutablePointer<Float>, accumulate: Bool, scratch: UnsafeMutablePointer<Float>,
                   activation: FusedActivation) {
        let plane = scratch
        let rowBuffer = scratch + paddedHeight * paddedWidth
        fillBorderedPlane(from: input, into: plane)
        let block = blockWidth
        let step = stride
        for oy in 0..<outHeight {
            for ox in Swift.stride(from: 0, to: vectorWidth, by: block) {
                let origin = plane + oy * step * paddedWidth + ox * step
                if block == 32 {
                    var s0 = SIMD8<Float>(repeating: bias), s1 = s0, s2 = s0, s3 = s0
                    for ky in 0..<kernelHeight {
                        let row = origin + ky * dilation * paddedWidth
                        for kx in 0..<kernelWidth {
                            let weight = kernel[ky * kernelWidth + kx]
                            let source = row + kx * dilation
                            s0 += weight * load(source, step)
                            s1 += weight * load(source + 8 * step, step)
                            s2 += weight * load(source + 16 * step, step)
                            s3 += weight * load(source + 24 * step, step)
                        }
                    }
                    store(s0, rowBuffer + ox)
                    store(s1, rowBuffer + ox + 8)
                    store(s2, rowBuffer + ox + 16)
                    store(s3, rowBuffer + ox + 24)
                } else {
                    var sum = SIMD8<Float>(repeating: bias)
                    for ky in 0..<kernelHeight {
                        let row = origin + ky * dilation * paddedWidth
                        for kx in 0..<kernelWidth {
                            sum += kernel[ky * kernelWidth + kx] * load(row + kx * dilation, step)
                        }
                    }
                    store(sum, rowBuffer + ox)
                }
            }
            let outRow = output + oy * outWidth
            if accumulate {
                for ox in 0..<outWidth { outRow[ox] += rowBuffer[ox] }
            } else {
                outRow.update(from: rowBuffer, count: outWidth)
                activation.apply(UnsafeMutableBufferPointer(start: outRow, count: outWidth))
            }
        }
    }

    /// Eight inputs `step` apart. Stride 2 loads sixteen contiguous floats and keeps the even ones.
    @inline(__always)
    private func load(_ source: UnsafeMutablePointer<Float>, _ step: Int) -> SIMD8<Float> {
        switch step {
        case 1: return UnsafeRawPointer(source).loadUnaligned(as: SIMD8<Float>.self)
        case 2: return UnsafeRawPointer(source).loadUnaligned(as: SIMD16<Float>.self).evenHalf
        default:
            var gathered = SIMD8<Float>()
            for lane in 0..<8 { gathered[lane] = source[lane * step] }
            return gathered
        }
    }

    @inline(__always)
    private func store(_ value: SIMD8<Float>, _ target: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(target).storeBytes(of: value, as: SIMD8<Float>.self)
    }

    /// plane[r][c] = input[r - padTop][c - padLeft], zero where that is outside the input.
    private func fillBorderedPlane(from input: UnsafePointer<Float>, into plane: UnsafeMutablePointer<Float>) {
        let columnStart = max(padLeft, 0)
        let columnEnd = min(paddedWidth, width + padLeft)
        for row in 0..<paddedHeight {
            let target = plane + row * paddedWidth
            let sourceRow = row - padTop
            guard sourceRow >= 0, sourceRow < height, columnStart < columnEnd else {
                target.update(repeating: 0, count: paddedWidth)
                continue
            }
            if columnStart > 0 { target.update(repeating: 0, count: columnStart) }
            target.advanced(by: columnStart).update(from: input + sourceRow * width + columnStart - padLeft,
                                                    count: columnEnd - columnStart)
            if columnEnd < paddedWidth { target.advanced(by: columnEnd).update(repeating: 0, count: paddedWidth - columnEnd) }
        }
    }
}
