/// Max and average pooling over square windows, and global average pooling.
extension Tensor {
    /// Max over kernel×kernel windows; padding never wins. `ceilMode` keeps a last partial
    /// window (PyTorch's rule: it must start inside the input or its left padding), as
    /// SqueezeNet and GoogLeNet need. The gradient goes to the first maximum of each window.
    /// `pads` (top, left, bottom, right), when given, replaces the symmetric `padding` (ONNX pads;
    /// Caffe-converted models pad only the end).
    public func maxPool2d(kernel: Int, stride: Int, padding: Int = 0, ceilMode: Bool = false,
                          pads: (top: Int, left: Int, bottom: Int, right: Int)? = nil) throws -> Tensor {
        try Cancellation.check()
        let g = try poolingGeometry(kernel: kernel, stride: stride, pads: pads ?? (padding, padding, padding, padding),
                                    ceilMode: ceilMode, operation: "maxPool2d")
        let planes = g.batch * g.inChannels
        let values = [Float](unsafeUninitializedCapacity: planes * g.outPlane) { yBuffer, initialized in
            data.withUnsafeBufferPointer { xBuffer in
                guard let x = xBuffer.baseAddress, let y = yBuffer.baseAddress else { return }
                ScratchBuffers.shared.withBuffer(count: planes * g.width) { rows in
                    Parallel.forEach(planes, workPerUnit: kernel * g.inPlane) { plane in
                        PoolingKernels.maxPlane(g, input: x + plane * g.inPlane, output: y + plane * g.outPlane,
                                                rowMaximum: rows + plane * g.width)
                    }
                }
            }
            initialized = planes * g.outPlane
        }
        let input = self
        return Tensor.makeResult(shape: [g.batch, g.inChannels, g.outHeight, g.outWidth], data: values,
                                 parents: [input]) { outputGradient, _ in
            input.accumulateGradient { dxBuffer in
                input.data.withUnsafeBufferPointer { xBuffer in
                    values.withUnsafeBufferPointer { yBuffer in
                        outputGradient.withUnsafeBufferPointer { dyBuffer in
                            guard let dx = dxBuffer.baseAddress, let x = xBuffer.baseAddress,
                                  let y = yBuffer.baseAddress, let dy = dyBuffer.baseAddress else { return }
                            Parallel.forEach(planes, workPerUnit: kernel * kernel * g.outPlane) { plane in
                                PoolingKernels.maxPlaneBackward(g, input: x + plane * g.inPlane, output: y + plane * g.outPlane,
                                                                outputGradient: dy + plane * g.outPlane,
                                                                inputGradient: dx + plane * g.inPlane)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Mean over kernel×kernel windows. With `countIncludePad` (PyTorch's default, ONNX
    /// count_include_pad = 1) the divisor counts padding but not the part of a ceil-mode window
    /// that hangs past the padding; without it, only the input values in the window.
    /// `pads` (top, left, bottom, right), when given, replaces the symmetric `padding`.
    public func avgPool2d(kernel: Int, stride: Int, padding: Int = 0, ceilMode: Bool = false,
                          countIncludePad: Bool = true, pads: (top: Int, left: Int, bottom: Int, right: Int)? = nil) throws -> Tensor {
        try Cancellation.check()
        let sides = pads ?? (padding, padding, padding, padding)
        let padEnd = (bottom: sides.bottom, right: sides.right)
        let g = try poolingGeometry(kernel: kernel, stride: stride, pads: sides, ceilMode: ceilMode, operation: "avgPool2d")
        let planes = g.batch * g.inChannels
        var values = [Float](repeating: 0, count: planes * g.outPlane)
        data.withUnsafeBufferPointer { xBuffer in
            values.withUnsafeMutableBufferPointer { yBuffer in
                guard let x = xBuffer.baseAddress, let y = yBuffer.baseAddress else { return }
                Parallel.forEach(planes, workPerUnit: kernel * kernel * g.outPlane) { plane in
                    PoolingKernels.averagePlane(g, padEnd: padEnd, includePadding: countIncludePad, input: x + plane * g.inPlane, output: y + plane * g.outPlane)
                }
            }
        }
        let input = self
        return Tensor.makeResult(shape: [g.batch, g.inChannels, g.outHeight, g.outWidth], data: values,
                                 parents: [input]) { outputGradient, _ in
            input.accumulateGradient { dxBuffer in
                outputGradient.withUnsafeBufferPointer { dyBuffer in
                    guard let dx = dxBuffer.baseAddress, let dy = dyBuffer.baseAddress else { return }
                    Parallel.forEach(planes, workPerUnit: kernel * kernel * g.outPlane) { plane in
                        PoolingKernels.averagePlaneBackward(g, padEnd: padEnd, includePadding: countIncludePad, outputGradient: dy + plane * g.outPlane,
                                                            inputGradient: dx + plane * g.inPlane)
                    }
                }
            }
        }
    }

    /// [N, C, H, W] -> [N, C, 1, 1], the mean of each channel.
    public func globalAvgPool() throws -> Tensor {
        guard rank == 4 else { throw EngineError.shapeMismatch("globalAvgPool: input must be [N, C, H, W], got \(shape)") }
        let planes = shape[0] * shape[1], plane = shape[2] * shape[3]
        var values = [Float](repeating: 0, count: planes)
        data.withUnsafeBufferPointer { x in
            for p in 0..<planes {
                var total: Float = 0
                for index in 0..<plane { total += x[p * plane + index] }
                values[p] = plane > 0 ? total / Float(plane) : 0
            }
        }
        let input = self
        return Tensor.makeResult(shape: [shape[0], shape[1], 1, 1], data: values, parents: [input]) { outputGradient, _ in
            input.accumulateGradient { dx in
                let scale = 1 / Float(Swift.max(plane, 1))
                for p in 0..<planes {
                    let share = outputGradient[p] * scale
                    for index in 0..<plane { dx[p * plane + index] += share }
                }
            }
        }
    }

    private func poolingGeometry(kernel: Int, stride: Int, pads: (top: Int, left: Int, bottom: Int, right: Int), ceilMode: Bool,
                                 operation: String) throws -> ConvolutionGeometry {
        guard rank == 4 else { throw EngineError.shapeMismatch("\(operation): input must be [N, C, H, W], got \(shape)") }
        guard stride >= 1 else { throw EngineError.invalid("\(operation): stride must be at least 1, got \(stride)") }
        // Half the kernel at most, so that every window holds at least one input value.
        guard [pads.top, pads.left, pads.bottom, pads.right].allSatisfy({ $0 >= 0 && $0 <= kernel / 2 }) else {
            throw EngineError.invalid("\(operation): padding must be between 0 and half the kernel (\(kernel / 2)), got \(pads)")
        }
        return try ConvolutionGeometry(batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
                                       outChannels: shape[1], kernelHeight: kernel, kernelWidth: kernel,
                                       stride: stride, dilation: 1, groups: shape[1],
                                       pads: pads, ceilMode: ceilMode, operation: operation)
    }
}
