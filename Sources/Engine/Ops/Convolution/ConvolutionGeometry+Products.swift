/// The three matrix products of a grouped 2-D convolution, per image and group, on the
/// im2col/col2im machinery: the convolution itself, its adjoint with respect to the input, and
/// its weight gradient. A transposed convolution (`Tensor.convTranspose2d`) is the adjoint used
/// as a forward pass, so both ops share these loops.
///
/// Layouts: the geometry's input is [N, inChannels, height, width], its output
/// [N, outChannels, outHeight, outWidth], the weight [outChannels, inChannels/groups, kh, kw].
extension ConvolutionGeometry {
    /// output = W_g · columns(input) for every image and group; `output` is overwritten.
    /// `finish(channel, values)` is called on each output channel's finished run of values (a
    /// part of its plane, still in cache) to add a bias and apply an activation in place.
    func correlate(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                   finish: ((_ channel: Int, _ values: UnsafeMutableBufferPointer<Float>) -> Void)? = nil) {
        let outPerGroup = outChannelsPerGroup, rows = columnRows, plane = outPlane
        forEachColumnMatrix(of: input) { image, group, matrix in
            let block = output + (image * outChannels + group * outPerGroup) * plane
            BLAS.gemm(m: outPerGroup, n: plane, k: rows, alpha: 1,
                      a: weight + group * outPerGroup * rows, lda: rows,
                      b: matrix, ldb: plane, beta: 0,
                      c: block, ldc: plane,
                      epilogue: finish.map { finish in { rowRange, columnRange in
                          for row in rowRange {
                              finish(group * outPerGroup + row,
                                     UnsafeMutableBufferPointer(start: block + row * plane + columnRange.lowerBound,
                                                                count: columnRange.count))
                          }
                      } })
        }
    }

    /// input (+)= col2im(W_gᵀ · output) for every image and group: the adjoint of `correlate`
    /// with respect to its input. `overwrite`: `input` holds garbage and is replaced, else the
    /// result is added to it.
    func correlateAdjoint(output: UnsafePointer<Float>, weight: UnsafePointer<Float>, input: UnsafeMutablePointer<Float>,
                          overwrite: Bool) {
        let outPerGroup = outChannelsPerGroup, rows = columnRows
        // col2im only adds, so a fresh result must start from zeros; the pointwise GEMM can
        // overwrite (beta 0) instead.
        if overwrite && !isPointwise { input.initialize(repeating: 0, count: batch * inChannels * inPlane) }
        ScratchBuffers.shared.withBuffer(count: isPointwise ? 1 : rows * outPlane) { columns in
            for image in 0..<batch {
                for group in 0..<groups {
                    let target = input + (image * inChannels + group * inChannelsPerGroup) * inPlane
                    let gradient = output + (image * outChannels + group * outPerGroup) * outPlane
                    // Pointwise: the columns are the input itself, so add straight into it.
                    BLAS.gemm(transposeA: true, m: rows, n: outPlane, k: outPerGroup,
                              a: weight + group * outPerGroup * rows, lda: rows,
                              b: gradient, ldb: outPlane, beta: isPointwise && !overwrite ? 1 : 0,
                              c: isPointwise ? target : columns, ldc: outPlane)
                    if !isPointwise { col2im(columns: columns, input: target) }
                }
            }
        }
    }

    /// weight += Σ over images of output_g · columns(input)ᵀ: the gradient of `correlate` with
    /// respect to its weight, for `output` holding the output's gradient.
    func correlateWeightGradient(output: UnsafePointer<Float>, input: UnsafePointer<Float>, weight: UnsafeMutablePointer<Float>) {
        let outPerGroup = outChannelsPerGroup, rows = columnRows
        forEachColumnMatrix(of: input) { image, group, matrix in
            BLAS.gemm(transposeB: true, m: outPerGroup, n: rows, k: outPlane,
                      a: output + (image * outChannels + group * outPerGroup) * outPlane, lda: outPlane,
                      b: matrix, ldb: outPlane, beta: 1,
                      c: weight + group * outPerGroup * rows, ldc: rows)
        }
    }

    /// Calls `body` with each image's and group's im2col matrix ([columnRows, outPlane]; the
    /// input itself for a pointwise convolution), built in one shared scratch buffer.
    private func forEachColumnMatrix(of input: UnsafePointer<Float>,
                                     _ body: (_ image: Int, _ group: Int, _ matrix: UnsafePointer<Float>) -> Void) {
        ScratchBuffers.shared.withBuffer(count: isPointwise ? 1 : columnRows * outPlane) { columns in
            for image in 0..<batch {
                for group in 0..<groups {
                    body(image, group, columnMatrix(input + (image * inChannels + group * inChannelsPerGroup) * inPlane, scratch: columns))
                }
            }
        }
    }
}
