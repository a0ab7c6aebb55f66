/// Per-plane loops of max and average pooling, with window bounds clipped once per row.
enum PoolingKernels {
    /// Max pooling of one H×W plane. Two passes per output row: the elementwise maximum of
    /// the window's input rows (contiguous, vectorized), then the maximum over each window's
    /// columns of that row. `rowMaximum` is scratch space of `width` floats.
    /// NOTE: comparisons with NaN are false, so a NaN never replaces a number here (PyTorch
    /// would propagate it); a window that starts with NaN keeps it.
    static func maxPlane(_ g: ConvolutionGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                         rowMaximum: UnsafeMutablePointer<Float>) {
        let width = g.width
        for oy in 0..<g.outHeight {
            let y0 = Swift.max(oy * g.stride - g.padTop, 0)
            let y1 = Swift.min(oy * g.stride - g.padTop + g.kernelHeight, g.height)
            rowMaximum.update(from: input + y0 * width, count: width)
            for y in (y0 + 1)..<Swift.max(y0 + 1, y1) {
                let row = input + y * width
                var x = 0
                while x + 8 <= width {
                    let current = UnsafeRawPointer(rowMaximum + x).loadUnaligned(as: SIMD8<Float>.self)
                    let candidate = UnsafeRawPointer(row + x).loadUnaligned(as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(rowMaximum + x).storeBytes(of: current.replacing(with: candidate, where: candidate .> current),
                                                                     as: SIMD8<Float>.self)
                    x += 8
                }
                while x < width {
                    rowMaximum[x] = row[x] > rowMaximum[x] ? row[x] : rowMaximum[x]
                    x += 1
                }
            }
            let outRow = output + oy * g.outWidth
            for ox in 0..<g.outWidth {
                let x0 = Swift.max(ox * g.stride - g.padLeft, 0)
                let x1 = Swift.min(ox * g.stride - g.padLeft + g.kernelWidth, width)
                var best = rowMaximum[x0]
                for x in (x0 + 1)..<Swift.max(x0 + 1, x1) where rowMaximum[x] > best { best = rowMaximum[x] }
                outRow[ox] = best
            }
        }
    }

    /// Sends each output gradient to the first input position (row-major) holding its
    /// window's maximum, recomputed from the input so the forward need not store indices.
    static func maxPlaneBackward(_ g: ConvolutionGeometry, input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                                 outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>) {
        for oy in 0..<g.outHeight {
            let y0 = Swift.max(oy * g.stride - g.padTop, 0)
            let y1 = Swift.min(oy * g.stride - g.padTop + g.kernelHeight, g.height)
            for ox in 0..<g.outWidth {
                let x0 = Swift.max(ox * g.stride - g.padLeft, 0)
                let x1 = Swift.min(ox * g.stride - g.padLeft + g.kernelWidth, g.width)
                let maximum = output[oy * g.outWidth + ox]
                // Scan backwards with selects, not branches: the last match seen is the first
                // maximum in row-major order (PyTorch's choice among ties, e.g. the zeros after
                // a ReLU), and there is no mispredicted early exit.
                var target = y0 * g.width + x0
                for y in stride(from: Swift.max(y0, y1) - 1, through: y0, by: -1) {
                    for x in stride(from: Swift.max(x0, x1) - 1, through: x0, by: -1) {
                        let index = y * g.width + x
                        target = input[index] == maximum ? index : target
                    }
                }
                inputGradient[target] += outputGradient[oy * g.outWidth + ox]
            }
        }
    }

    /// The window of output (oy, ox) clipped to the input, and its divisor: PyTorch's
    /// (padding counted, the part past the padding not) when `includePadding`, else the number
    /// of input values in the window (ONNX count_include_pad = 0).
    @inline(__always)
    static func averageWindow(_ g: ConvolutionGeometry, padEnd: (bottom: Int, right: Int), includePadding: Bool, oy: Int, ox: Int)
        -> (y0: Int, y1: Int, x0: Int, x1: Int, divisor: Float) {
        var y0 = oy * g.stride - g.padTop, x0 = ox * g.stride - g.padLeft
        var y1 = Swift.min(y0 + g.kernelHeight, g.height + padEnd.bottom)
        var x1 = Swift.min(x0 + g.kernelWidth, g.width + padEnd.right)
        let padded = Float((y1 - y0) * (x1 - x0))
        y0 = Swift.max(y0, 0); x0 = Swift.max(x0, 0)
        y1 = Swift.max(y0, Swift.min(y1, g.height)); x1 = Swift.max(x0, Swift.min(x1, g.width))
        // A window of padding only (impossible while padding is at most half the kernel) divides by 1, not 0.
        let divisor = includePadding ? padded : Float(Swift.max((y1 - y0) * (x1 - x0), 1))
        return (y0, y1, x0, x1, divisor)
    }

    static func averagePlane(_ g: ConvolutionGeometry, padEnd: (bottom: Int, right: Int), includePadding: Bool, input: UnsafePointer<Float>,
                             output: UnsafeMutablePointer<Float>) {
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                let w = averageWindow(g, padEnd: padEnd, includePadding: includePadding, oy: oy, ox: ox)
                var total: Float = 0
                for y in w.y0..<w.y1 { for x in w.x0..<w.x1 { total += input[y * g.width + x] } }
                output[oy * g.outWidth + ox] = total / w.divisor
            }
        }
    }

    static func averagePlaneBackward(_ g: ConvolutionGeometry, padEnd: (bottom: Int, right: Int), includePadding: Bool, outputGradient: UnsafePointer<Float>,
                                     inputGradient: UnsafeMutablePointer<Float>) {
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                let w = averageWindow(g, padEnd: padEnd, includePadding: includePadding, oy: oy, ox: ox)
                let share = outputGradient[oy * g.outWidth + ox] / w.divisor
                for y in w.y0..<w.y1 { for x in w.x0..<w.x1 { inputGradient[y * g.width + x] += share } }
            }
        }
    }
}
