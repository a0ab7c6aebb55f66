/// Learned filters of a convolution layer (lecture 000, 1.4 and 1.5; lecture 002).
///
/// The `Network` interface does not hand out weight tensors, and it need not: a convolution
/// is linear, so the derivative of one of its units with respect to the layer's input is that
/// unit's filter, laid out on the k x k window the unit reads. The backward pass uses the
/// deconvnet rule, under which the layer's own ReLU passes a positive seed whatever the unit's
/// value, so the result does not depend on the input. For the first layer the derivative is
/// taken with respect to the image, which shows the filters in RGB order and in image units
/// whatever the network's channel order (SqueezeNet reads BGR).
public enum FilterVisualization {
    public enum Mode: String, Sendable, CaseIterable {
        /// Each filter as one colour tile (first layer of an RGB network).
        case rgb
        /// Each filter as C_in grey tiles, one row per output channel.
        case gray
    }

    /// Filters of `layer` (a single convolution), at most `maxFilters` output channels and, in
    /// grey mode, `maxInputChannels` input channels. `progress` reports batches done.
    public static func compute(network: Network, layer: String, mode: Mode? = nil, maxFilters: Int = 64,
                               maxInputChannels: Int = 16, progress: TechniqueProgress? = nil) throws -> FilterResult {
        let probe = NetworkProbe(network: network, technique: "filters")
        let info = try probe.layer(layer)
        guard info.kind.lowercased().hasPrefix("conv"), info.outputShape.count == 3 else {
            throw EngineError.unsupported("filters: layer '\(layer)' is a \(info.kind), not a single convolution; pick a conv layer")
        }
        let geometry = try FilterGeometry(network: network, layerIndex: network.layers.firstIndex { $0.name == layer } ?? 0)
        let isFirst = geometry.previousName == nil
        let resolvedMode = mode ?? (isFirst && network.inputChannels == 3 ? .rgb : .gray)
        if resolvedMode == .rgb && !(isFirst && network.inputChannels == 3) {
            throw EngineError.invalid("filters: rgb mode needs the first convolution of an RGB network; '\(layer)' has \(geometry.inputChannels) input channels, use mode gray")
        }
        let filterCount = Swift.min(info.outputShape[0], Swift.max(1, maxFilters))
        let space = isFirst ? try InputSpace(network: network) : nil
        let inputChannels = space?.imageChannels ?? geometry.inputChannels
        let kernel = geometry.kernel
        var weights = [Float](repeating: 0, count: filterCount * inputChannels * kernel * kernel)

        let (height, width) = network.inputSize
        let batchSize = 8
        let batches = (filterCount + batchSize - 1) / batchSize
        for batchIndex in 0..<batches {
            try Cancellation.check()
            let first = batchIndex * batchSize
            let count = Swift.min(batchSize, filterCount - first)
            let input = try Tensor(zeros: [count, network.inputChannels, height, width])
            input.requiresGrad = true
            let capture: Set<String> = geometry.previousName.map { [layer, $0] } ?? [layer]
            let (output, activations) = try network.forward(input, capture: capture, until: layer)
            let unitLayer = activations[layer] ?? output
            guard unitLayer.shape == [count] + info.outputShape else {
                throw EngineError.shapeMismatch("filters: layer '\(layer)' gave \(unitLayer.shape), its description says \(info.outputShape)")
            }
            let plane = info.outputShape[1] * info.outputShape[2]
            var seed = [Float](repeating: 0, count: unitLayer.count)
            for item in 0..<count {
                seed[(item * info.outputShape[0] + first + item) * plane + geometry.unitY * info.outputShape[2] + geometry.unitX] = 1
            }
            try unitLayer.backward(seed: seed, rule: .deconvnet)
            for item in 0..<count {
                let window: [Float]
                if let space {
                    let itemSize = network.inputChannels * height * width
                    let gradient = space.imageGradient(input.grad ?? [], offset: item * itemSize, height: height, width: width)
                    window = geometry.window(hwc: gradient, channels: inputChannels)
                } else {
                    guard let previous = geometry.previousName.flatMap({ activations[$0] }), let gradient = previous.grad else {
                        throw EngineError.invalid("filters: the network did not record the input of '\(layer)'")
                    }
                    window = geometry.window(chw: gradient, item: item)
                }
                let base = (first + item) * inputChannels * kernel * kernel
                weights.replaceSubrange(base..<(base + window.count), with: window)
            }
            progress?(batchIndex + 1, batches)
        }
        return FilterResult(layer: layer, mode: resolvedMode, filterCount: filterCount,
                            totalFilters: info.outputShape[0], inputChannels: inputChannels, kernel: kernel,
                            weights: weights, imageSpace: isFirst, maxInputChannels: maxInputChannels)
    }
}
