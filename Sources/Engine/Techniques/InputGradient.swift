/// Gradients of a class score or a unit with respect to the input image: plain gradient and
/// saliency (Simonyan et al. 2014), SmoothGrad, guided backpropagation and the deconvnet rule.
///
/// Lecture 000, 1.11: forward to the class score (before softmax), backward to the pixels,
/// absolute value, max over RGB. Lecture 004: guided backprop and deconvnet differ from the true
/// gradient only in how each ReLU passes the gradient back, so all three share this code and
/// choose a `ReLURule`.
public enum InputGradient {
    public struct Options: Sendable {
        /// SmoothGrad copies: 0 or 1 is the plain gradient; 1000 copies already average out the noise.
        public static let smoothSamplesRange = NumberRange.closed(0, 1_000)
        /// ReLU backward rule: `.standard` (true gradient), `.guided`, `.deconvnet`.
        public var rule: ReLURule = .standard
        /// SmoothGrad copies (Smilkov et al. 2017); 0 or 1 means no smoothing.
        public var smoothSamples: Int = 0
        /// SmoothGrad noise standard deviation as a fraction of the input tensor's value range.
        public var smoothSigma: Float = 0.15
        public var seed: UInt64 = 0
        /// Noisy copies per forward pass.
        public var batchSize: Int = 8
        public init(rule: ReLURule = .standard, smoothSamples: Int = 0, smoothSigma: Float = 0.15, seed: UInt64 = 0) {
            self.rule = rule
            self.smoothSamples = smoothSamples
            self.smoothSigma = smoothSigma
            self.seed = seed
        }
    }

    /// The gradient of `target` for `image` under `options.rule`, optionally SmoothGrad-averaged.
    /// `progress` reports batches done.
    public static func compute(network: Network, image: Image, target: GradientTarget,
                               options: Options = Options(), progress: TechniqueProgress? = nil) throws -> InputGradientResult {
        let name = options.rule == .standard ? (options.smoothSamples > 1 ? "smoothgrad" : "saliency")
                                             : (options.rule == .guided ? "guided" : "deconv")
        let probe = NetworkProbe(network: network, technique: name)
        try Options.smoothSamplesRange.check(options.smoothSamples, "samples", in: name)
        try NumberRange.atLeast(0).check(options.smoothSigma, "sigma", in: name)
        let input = try probe.input(image)
        let space = try InputSpace(network: network)
        let (height, width) = network.inputSize
        let seen = try network.deprocess(input.detached())

        // The clean pass fixes the class (top-1 when unspecified) and the unit's location.
        let clean = try probe.backpropagate(input, target: target, rule: options.rule)
        let samples = Swift.max(1, options.smoothSamples)
        var gradient = space.imageGradient(clean.inputGradient, height: height, width: width)
        var saliency = maxAbsoluteOverChannels(gradient, channels: space.imageChannels)
        if samples > 1 {
            let fixedTarget = target.fixing(classIndex: clean.classIndex)
            (gradient, saliency) = try smoothGradient(probe: probe, input: input, target: fixedTarget, space: space,
                                                      samples: samples, options: options, progress: progress)
        } else {
            progress?(1, 1)
        }
        return InputGradientResult(
            image: seen, gradient: gradient,
            saliency: ScalarMap(validHeight: height, width: width, values: saliency),
            rule: options.rule, classIndex: clean.classIndex,
            className: clean.classIndex.flatMap { $0 < network.classNames.count ? network.classNames[$0] : nil },
            unit: clean.unit, samples: samples, probability: target.isProbability)
    }

    /// Mean gradient and mean saliency over noisy copies x + N(0, (sigma * (max - min))^2),
    /// run through the network `batchSize` at a time.
    static func smoothGradient(probe: NetworkProbe, input: Tensor, target: GradientTarget, space: InputSpace,
                               samples: Int, options: Options,
                               progress: TechniqueProgress?) throws -> ([Float], [Float]) {
        let (height, width) = probe.network.inputSize
        let itemSize = input.count
        let low = input.data.min() ?? 0, high = input.data.max() ?? 0
        let sigma = options.smoothSigma * (high - low)
        var random = SeededRandom(seed: options.seed)
        var gradientSum = [Float](repeating: 0, count: height * width * space.imageChannels)
        var saliencySum = [Float](repeating: 0, count: height * width)
        let batchSize = Swift.max(1, options.batchSize)
        let batches = (samples + batchSize - 1) / batchSize
        for batchIndex in 0..<batches {
            try Cancellation.check()
            let count = Swift.min(batchSize, samples - batchIndex * batchSize)
            var values = [Float](repeating: 0, count: count * itemSize)
            for item in 0..<count {
                for index in 0..<itemSize {
                    values[item * itemSize + index] = input.data[index] + random.normal(mean: 0, standardDeviation: sigma)
                }
            }
            var shape = input.shape
            shape[0] = count
            let noisy = try Tensor(shape: shape, data: values)
            let pass = try probe.backpropagate(noisy, target: target, rule: options.rule)
            let raw = pass.inputGradient
            for item in 0..<count {
                let itemGradient = space.imageGradient(raw, offset: item * itemSize, height: height, width: width)
                let itemSaliency = maxAbsoluteOverChannels(itemGradient, channels: space.imageChannels)
                for index in gradientSum.indices { gradientSum[index] += itemGradient[index] }
                for index in saliencySum.indices { saliencySum[index] += itemSaliency[index] }
            }
            progress?(batchIndex + 1, batches)
        }
        let scale = 1 / Float(samples)
        return (gradientSum.map { $0 * scale }, saliencySum.map { $0 * scale })
    }

    /// max_c |g| per pixel of an HWC buffer.
    static func maxAbsoluteOverChannels(_ values: [Float], channels: Int) -> [Float] {
        let pixels = values.count / channels
        var result = [Float](repeating: 0, count: pixels)
        for pixel in 0..<pixels {
            var largest: Float = 0
            for channel in 0..<channels { largest = Swift.max(largest, Swift.abs(values[pixel * channels + channel])) }
            result[pixel] = largest
        }
        return result
    }
}
