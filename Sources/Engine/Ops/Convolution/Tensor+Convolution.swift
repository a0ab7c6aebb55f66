/// 2-D convolution: im2col + OpenBLAS sgemm, plain GEMM for 1×1, direct loops for depthwise.
extension Tensor {
    /// Cross-correlation of this [N, Cin, H, W] input with `weight` [Cout, Cin/groups, kh, kw]
    /// (PyTorch's layout) plus an optional `bias` [Cout]. `padding: .same` is TensorFlow's SAME.
    /// `activation` applies ReLU or ReLU6 to the result in the same pass (see `FusedActivation`).
    public func conv2d(weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Padding = .symmetric(0),
                       dilation: Int = 1, groups: Int = 1, activation: FusedActivation = .none) throws -> Tensor {
        try Cancellation.check()
        let geometry = try ConvolutionGeometry(input: shape, weight: weight.shape, stride: stride,
                                               padding: padding, dilation: dilation, groups: groups)
        if let bias, bias.count != geometry.outChannels {
            throw EngineError.shapeMismatch("conv2d: bias has \(bias.count) values, weight has \(geometry.outChannels) output channels")
        }
        let input = self
        let g = geometry
        let outputCount = g.batch * g.outChannels * g.outPlane
        let values = [Float](unsafeUninitializedCapacity: outputCount) { output, initialized in
            input.data.withUnsafeBufferPointer { x in
                weight.data.withUnsafeBufferPointer { w in
                    withOptionalPointer(bias) { b in
                        guard let out = output.baseAddress, let x = x.baseAddress, let w = w.baseAddress else {
                            output.initialize(repeating: 0)
                            return
                        }
                        if g.isDepthwise {
                            DepthwiseConvolution(geometry: g).forward(input: x, weight: w, bias: b, output: out,
                                                                      activation: activation)
                        } else {
                            Tensor.convolutionForward(g, input: x, weight: w, bias: b, output: out, activation: activation)
                        }
                    }
                }
            }
            initialized = outputCount
        }
        let parents = [input, weight] + (bias.map { [$0] } ?? [])
        let resultShape = [g.batch, g.outChannels, g.outHeight, g.outWidth]
        return Tensor.makeResult(shape: resultShape, data: values, parents: parents) { outputGradient, rule in
            let gradient = activation.maskedGradient(outputGradient, output: values, rule: rule)
            Tensor.convolutionBackward(g, outputGradient: gradient, input: input, weight: weight, bias: bias)
        }
    }

    /// The GEMM path of the forward: per image and group, out = W_g · columns (+ bias), the
    /// bias and the activation applied to each block of the output as soon as its GEMM ends,
    /// on the same thread, while the block is in cache.
    private static func convolutionForward(_ g: ConvolutionGeometry, input: UnsafePointer<Float>,
                                           weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                           output: UnsafeMutablePointer<Float>, activation: FusedActivation) {
        if bias == nil && activation == .none {
            g.correlate(input: input, weight: weight, output: output)
            return
        }
        g.correlate(input: input, weight: weight, output: output) { channel, values in
            activation.apply(values, adding: bias?[channel] ?? 0)
        }
    }

    /// Gradients of a convolution: input (W_gᵀ · dOut, then col2im), weight (dOut · columnsᵀ),
    /// bias (sum of dOut). Only what some tensor requires is computed.
    private static func convolutionBackward(_ g: ConvolutionGeometry, outputGradient: [Float],
                                            input: Tensor, weight: Tensor, bias: Tensor?) {
        outputGradient.withUnsafeBufferPointer { dOutBuffer in
            guard let dOut = dOutBuffer.baseAddress else { return }
            if g.isDepthwise {
                let depthwise = DepthwiseConvolution(geometry: g)
                input.accumulateGradientCovering { dxBuffer, overwrite in
                    guard let dx = dxBuffer.baseAddress else { return }
                    // Stride 1 writes every element (saving the zero fill); stride 2 scatters.
                    let writesAll = overwrite && g.stride == 1
                    if overwrite && !writesAll { dx.initialize(repeating: 0, count: dxBuffer.count) }
                    weight.data.withUnsafeBufferPointer { w in
                        guard let w = w.baseAddress else { return }
                        depthwise.backwardInput(outputGradient: dOut, weight: w, inputGradient: dx, overwrite: writesAll)
                    }
                }
                if weight.requiresGrad || bias?.requiresGrad == true {
                    var weightGradient = [Float](repeating: 0, count: weight.requiresGrad ? weight.count : 0)
                    var biasGradient = [Float](repeating: 0, count: bias?.requiresGrad == true ? g.outChannels : 0)
                    input.data.withUnsafeBufferPointer { x in
                        weightGradient.withUnsafeMutableBufferPointer { dw in
                            biasGradient.withUnsafeMutableBufferPointer { db in
                                guard let x = x.baseAddress else { return }
                                depthwise.backwardWeight(outputGradient: dOut, input: x,
                                                         weightGradient: dw.baseAddress, biasGradient: db.baseAddress)
                            }
                        }
                    }
                    if weight.requiresGrad { weight.accumulateGradient(weightGradient) }
                    if let bias, bias.requiresGrad { bias.accumulateGradient(biasGradient) }
                }
                return
            }
            bias?.accumulateGradient { db in
                Tensor.addChannelSums(of: dOut, batch: g.batch, channels: g.outChannels, plane: g.outPlane, into: db)
            }
            input.accumulateGradientCovering { dxBuffer, overwrite in
                guard let dx = dxBuffer.baseAddress else { return }
                weight.data.withUnsafeBufferPointer { w in
                    guard let w = w.baseAddress else { return }
                    g.correlateAdjoint(output: dOut, weight: w, input: dx, overwrite: overwrite)
                }
            }
            weight.accumulateGradient { dw in
                guard let dw = dw.baseAddress else { return }
                input.data.withUnsafeBufferPointer { x in
                    guard let x = x.baseAddress else { return }
                    g.correlateWeightGradient(output: dOut, input: x, weight: dw)
                }
            }
        }
    }
}

/// Calls `body` with a pointer to the tensor's values, or nil when there is no tensor.
func withOptionalPointer<Result>(_ tensor: Tensor?, _ body: (UnsafePointer<Float>?) -> Result) -> Result {
    guard let tensor else { return body(nil) }
    return tensor.data.withUnsafeBufferPointer { body($0.baseAddress) }
}

extension Tensor {
    /// db[c] += Σ over images and positions of dy[n, c, ·]: a per-channel bias's gradient, for
    /// `dy` laid out [batch, channels, plane].
    static func addChannelSums(of dy: UnsafePointer<Float>, batch: Int, channels: Int, plane: Int,
                               into db: UnsafeMutableBufferPointer<Float>) {
        for image in 0..<batch {
            for channel in 0..<channels {
                let values = dy + (image * channels + channel) * plane
                var total: Float = 0
                for index in 0..<plane { total += values[index] }
                db[channel] += total
            }
        }
    }
}
