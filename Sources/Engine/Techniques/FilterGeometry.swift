/// Where a convolution's filter shows up in the gradient of one of its units: the kernel size,
/// stride and padding recovered from the receptive-field recurrences of `LayerInfo`
/// (rf' = rf + (k - 1) * jump, jump' = jump * s, start' = start + ((k - 1) / 2 - p) * jump).
struct FilterGeometry {
    /// The layer before (nil: the input image).
    let previousName: String?
    let inputChannels: Int
    let inputHeight: Int
    let inputWidth: Int
    let kernel: Int
    /// The unit whose gradient is read, and the top-left corner of its window in the input grid.
    let unitY: Int
    let unitX: Int
    let top: Int
    let left: Int

    init(network: Network, layerIndex: Int) throws {
        let layer = network.layers[layerIndex]
        let previous = layerIndex > 0 ? network.layers[layerIndex - 1] : nil
        let (field, jump, start) = previous.map { ($0.receptiveField, $0.jump, $0.start) } ?? (1, 1, 0)
        previousName = previous?.name
        if let previous {
            guard previous.outputShape.count == 3 else {
                throw EngineError.unsupported("filters: the input of '\(layer.name)' has shape \(previous.outputShape), not a feature map")
            }
            (inputChannels, inputHeight, inputWidth) = (previous.outputShape[0], previous.outputShape[1], previous.outputShape[2])
        } else {
            (inputChannels, inputHeight, inputWidth) = (network.inputChannels, network.inputSize.height, network.inputSize.width)
        }
        guard jump > 0, (layer.receptiveField - field) % jump == 0, layer.jump % jump == 0 else {
            throw EngineError.unsupported("filters: cannot recover the kernel of '\(layer.name)' from its receptive field")
        }
        let kernel = (layer.receptiveField - field) / jump + 1
        self.kernel = kernel
        let stride = layer.jump / jump
        let padding = Int((Double(kernel - 1) / 2 - (layer.start - start) / Double(jump)).rounded())
        // The first unit whose whole window lies inside the input, nearest the middle.
        let (outputHeight, outputWidth) = (layer.outputShape[1], layer.outputShape[2])
        func unit(_ outputs: Int, _ inputs: Int) -> Int? {
            let middle = outputs / 2
            let candidates = (0..<outputs).sorted { Swift.abs($0 - middle) < Swift.abs($1 - middle) }
            return candidates.first { $0 * stride - padding >= 0 && $0 * stride - padding + kernel <= inputs }
        }
        guard kernel >= 1, let y = unit(outputHeight, inputHeight), let x = unit(outputWidth, inputWidth) else {
            throw EngineError.unsupported("filters: no unit of '\(layer.name)' sees a whole \(kernel) x \(kernel) window")
        }
        (unitY, unitX) = (y, x)
        (top, left) = (y * stride - padding, x * stride - padding)
    }

    /// The k x k window from a CHW gradient of batch item `item`, as [C, k, k].
    func window(chw gradient: [Float], item: Int) -> [Float] {
        let plane = inputHeight * inputWidth
        var result: [Float] = []
        result.reserveCapacity(inputChannels * kernel * kernel)
        for channel in 0..<inputChannels {
            for y in 0..<kernel {
                for x in 0..<kernel {
                    result.append(gradient[(item * inputChannels + channel) * plane + (top + y) * inputWidth + left + x])
                }
            }
        }
        return result
    }

    /// The k x k window from an HWC image-space gradient, as [C, k, k].
    func window(hwc gradient: [Float], channels: Int) -> [Float] {
        var result = [Float](repeating: 0, count: channels * kernel * kernel)
        for y in 0..<kernel {
            for x in 0..<kernel {
                for channel in 0..<channels {
                    result[(channel * kernel + y) * kernel + x] = gradient[((top + y) * inputWidth + left + x) * channels + channel]
                }
            }
        }
        return result
    }
}
