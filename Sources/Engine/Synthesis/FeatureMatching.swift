import Foundation

/// Images made to match what a network sees in other images (lecture 003; lecture 004):
/// feature inversion (match one layer's features of an image, from noise, with a smoothness
/// prior), texture synthesis (match Gram matrices of several layers, from noise) and neural
/// style transfer (both at once, starting from the content image).
///
/// Loss = content weight * mean (F(x) - F(c))^2 + style weight * sum over layers mean (G(x) - G(s))^2
/// + smoothness * TV(x). The content and style terms are relative errors (divided by the mean square
/// of what they match) and the smoothness term is divided by its value at the first step, so the
/// weights say how much the terms matter whatever the network's scale. The pixels are optimised
/// with Adam and kept in 0...1.
public enum FeatureMatching {
    public struct Target {
        public var content: (image: Image, layer: String)?
        public var style: (image: Image, layers: [String])?
        public init(content: (image: Image, layer: String)? = nil, style: (image: Image, layers: [String])? = nil) {
            self.content = content
            self.style = style
        }
    }

    public struct Options: Sendable {
        /// Optimisation steps.
        public static let stepRange = NumberRange.closed(1, 10_000)
        /// Weight of the total variation prior; 0 switches it off.
        public static let smoothnessRange = NumberRange.closed(0, 1_000)
        /// Weight of the style loss relative to a content weight of 1.
        public static let styleWeightRange = NumberRange.aboveUpTo(0, 1e6)
        /// The smallest side an optimised image may have: below it the deep layers have no pixels left.
        public static let minimumSide = 16
        public var steps: Int = 200
        /// Adam's step size, in pixel units.
        public var rate: Float = 0.02
        public var contentWeight: Float = 1
        public var styleWeight: Float = 1
        /// Total variation weight: the smoothness prior of Mahendran and Vedaldi.
        public var smoothness: Float = 0
        /// Start from the content image (style transfer) instead of seeded noise.
        public var startFromContent = false
        public var seed: UInt64 = 0
        public var snapshotEvery = 10
        public init(steps: Int = 200, rate: Float = 0.02, contentWeight: Float = 1, styleWeight: Float = 1,
                    smoothness: Float = 0, startFromContent: Bool = false, seed: UInt64 = 0) {
            self.steps = steps
            self.rate = rate
            self.contentWeight = contentWeight
            self.styleWeight = styleWeight
            self.smoothness = smoothness
            self.startFromContent = startFromContent
            self.seed = seed
        }
    }

    /// Makes an image of `height` x `width` pixels.
    public static func run(network: Network, target: Target, height: Int, width: Int, options: Options = Options(),
                           progress: ClassVisualization.Progress? = nil) throws -> FeatureMatchingResult {
        try Options.stepRange.check(options.steps, "steps", in: "feature matching")
        try NumberRange.aboveUpTo(0, 1).check(options.rate, "rate", in: "feature matching")
        try Options.smoothnessRange.check(options.smoothness, "smoothness", in: "feature matching")
        try NumberRange.closed(0, 1e6).check(options.contentWeight, "content weight", in: "feature matching")
        try NumberRange.closed(0, 1e6).check(options.styleWeight, "style weight", in: "feature matching")
        guard height >= Options.minimumSide, width >= Options.minimumSide else {
            throw EngineError.invalid("feature matching: the image must be at least \(Options.minimumSide) x \(Options.minimumSide) pixels, "
                                      + "got \(width) x \(height)")
        }
        guard target.content != nil || target.style != nil else {
            throw EngineError.invalid("feature matching: give a content image, a style image or both")
        }
        let order = Dictionary(uniqueKeysWithValues: network.layers.enumerated().map { ($1.name, $0) })
        let layers = Set([target.content?.layer].compactMap { $0 } + (target.style?.layers ?? []))
        for layer in layers where order[layer] == nil {
            throw EngineError.invalid("feature matching: \(network.name) has no layer '\(layer)'; its layers are "
                                      + network.layers.map(\.name).joined(separator: ", "))
        }
        guard let deepest = layers.max(by: { (order[$0] ?? 0) < (order[$1] ?? 0) }) else {
            throw EngineError.invalid("feature matching: no layers to match")
        }
        let space = try InputSpace(network: network)
        let channels = space.imageChannels
        // Every image the network sees must reach the deepest layer matched: the images given, as
        // given, and the one being made at the size asked for.
        let floor = try NetworkInputFloor.minimumSide(of: network, until: deepest)
        if let content = target.content?.image {
            try NetworkInputFloor.check(height: content.height, width: content.width, minimum: floor,
                                        role: target.style == nil ? .image : .content, network: network, layer: deepest)
        }
        if let style = target.style?.image {
            try NetworkInputFloor.check(height: style.height, width: style.width, minimum: floor,
                                        role: target.content == nil ? .image : .style, network: network, layer: deepest)
        }
        try NetworkInputFloor.check(height: height, width: width, minimum: floor, role: .result, network: network, layer: deepest)
        let styleImage = try target.style.map { try boundedForStyle($0.image, shortestSide: floor) }

        func features(_ image: Image) throws -> [String: Tensor] {
            let input = try space.tensor(from: try image.converted(toChannels: channels))
            let (output, activations) = try network.forward(input, capture: layers, until: deepest)
            var result = activations
            if result[deepest] == nil { result[deepest] = output }
            return result.mapValues { $0.detached() }
        }
        let contentFeatures: Tensor? = try target.content.flatMap { try features(try $0.image.resized(width: width, height: height))[$0.layer] }
        let styleGrams: [String: Tensor] = try target.style.map { style in
            let found = try features(styleImage ?? style.image)
            return try Dictionary(uniqueKeysWithValues: style.layers.map { ($0, try (found[$0] ?? Tensor(zeros: [1])).gram().detached()) })
        } ?? [:]

        var random = SeededRandom(seed: options.seed)
        var pixels: [Float]
        if options.startFromContent, let content = target.content {
            pixels = try content.image.converted(toChannels: channels).resized(width: width, height: height).pixels
        } else {
            pixels = (0..<(height * width * channels)).map { _ in Swift.min(Swift.max(0.5 + random.normal(mean: 0, standardDeviation: 0.1), 0), 1) }
        }
        var adam = AdamState(count: pixels.count)
        let contentScale = contentFeatures.map { meanSquare($0) } ?? 1
        let styleScales = styleGrams.mapValues { meanSquare($0) }
        var initialSmoothness: Float?
        var losses: [Float] = []

        for step in 1...options.steps {
            try Cancellation.check()
            let input = try space.tensor(from: try Image(width: width, height: height, channels: channels, pixels: pixels))
            input.requiresGrad = true
            let (output, activations) = try network.forward(input, capture: layers, until: deepest)
            func at(_ layer: String) -> Tensor? { layer == deepest ? (activations[layer] ?? output) : activations[layer] }

            var contentTerm: Tensor?
            if let content = target.content, let wanted = contentFeatures, let found = at(content.layer) {
                contentTerm = try (found - wanted).square().mean() * (1 / contentScale)
            }
            var styleTerm: Tensor?
            for (layer, wanted) in styleGrams.sorted(by: { $0.key < $1.key }) {
                guard let found = at(layer) else { continue }
                let term = try (try found.gram() - wanted).square().mean() * (1 / (Float(styleGrams.count) * (styleScales[layer] ?? 1)))
                styleTerm = try styleTerm.map { try $0 + term } ?? term
            }
            let smoothTerm = options.smoothness > 0 ? try input.totalVariation() : nil
            let smoothStart = initialSmoothness ?? Swift.max(smoothTerm?.data[0] ?? 1, 1e-12)
            initialSmoothness = smoothStart
            var total: Tensor?
            if let contentTerm { total = contentTerm * options.contentWeight }
            if let styleTerm { total = try total.map { try $0 + styleTerm * options.styleWeight } ?? styleTerm * options.styleWeight }
            if let smoothTerm {
                let weighted = smoothTerm * (options.smoothness / smoothStart)
                total = try total.map { try $0 + weighted } ?? weighted
            }
            guard let loss = total else { break }
            losses.append(loss.data[0])
            try loss.backward()
            let gradient = space.imageGradient(input.grad ?? [], height: height, width: width)
            input.releaseGraph()
            adam.step(&pixels, gradient: gradient, rate: options.rate)
            for index in pixels.indices { pixels[index] = Swift.min(Swift.max(pixels[index], 0), 1) }
            if let progress {
                let due = step % Swift.max(1, options.snapshotEvery) == 0 || step == options.steps
                progress(step, options.steps, due ? try Image(width: width, height: height, channels: channels, pixels: pixels) : nil)
            }
        }
        return FeatureMatchingResult(image: try Image(width: width, height: height, channels: channels, pixels: pixels),
                                     losses: losses)
    }

    static func meanSquare(_ tensor: Tensor) -> Float {
        let total = tensor.data.reduce(Float(0)) { $0 + $1 * $1 }
        return Swift.max(total / Float(Swift.max(tensor.count, 1)), 1e-12)
    }

    /// Gram matrices are averages over positions, so a smaller copy of a very large style image
    /// gives nearly the same statistics at a fraction of the memory and time: at most 512 pixels a
    /// side, but never below `shortestSide` (the network's floor) on the short side.
    static func boundedForStyle(_ image: Image, longestSide: Int = 512, shortestSide: Int = 1) throws -> Image {
        let longest = Swift.max(image.width, image.height), shortest = Swift.min(image.width, image.height)
        guard longest > longestSide else { return image }
        let scale = Swift.min(1, Swift.max(Float(longestSide) / Float(longest), Float(shortestSide) / Float(shortest)))
        return try image.resized(width: Swift.max(1, Int((Float(image.width) * scale).rounded())),
                                 height: Swift.max(1, Int((Float(image.height) * scale).rounded())))
    }
}
