/// DeepDream (lecture 000, 1.23-1.25; lecture 003; lecture 004: "set dx = x"): instead of one
/// class, amplify whatever a layer already sees. The gradient arriving at the layer is set equal
/// to its activation, which is the gradient of 1/2 ||a||^2, so each step boosts every feature the
/// layer detects. As in Google's code, the image is processed from coarse to fine (octaves), with
/// a random jitter each step, and the detail found at one scale is carried to the next.
public enum DeepDream {
    public struct Options: Sendable {
        /// Gradient steps at each octave.
        public static let stepsPerOctaveRange = NumberRange.closed(1, 1_000)
        /// Scales, each `octaveScale` times smaller than the next: 8 at 1.4 already span a 10-fold size.
        public static let octaveRange = NumberRange.closed(1, 8)
        /// Step size in pixel units for a gradient of mean magnitude 1: above 0, at most a full pixel range.
        public static let rateRange = NumberRange.aboveUpTo(0, 1)
        public var stepsPerOctave: Int = 10
        public var octaves: Int = 3
        /// Each octave is this much smaller than the next.
        public var octaveScale: Float = 1.4
        /// Step size in pixel units (0...1) for a gradient of mean magnitude 1.
        public var rate: Float = 0.004
        public var jitter: Int = 8
        public var seed: UInt64 = 0
        public init(stepsPerOctave: Int = 10, octaves: Int = 3, octaveScale: Float = 1.4, rate: Float = 0.004,
                    jitter: Int = 8, seed: UInt64 = 0) {
            self.stepsPerOctave = stepsPerOctave
            self.octaves = octaves
            self.octaveScale = octaveScale
            self.rate = rate
            self.jitter = jitter
            self.seed = seed
        }
    }

    /// Dreams `image` at `layer`. An interrupt (`Cancellation`) ends the run early and returns
    /// the dream so far, scaled to the original's size, with `interrupted` set, as visualize does.
    /// - Throws: `EngineError` for settings out of range, an unknown layer or an image too small.
    public static func run(network: Network, image: Image, layer: String, options: Options = Options(),
                           progress: ClassVisualization.Progress? = nil) throws -> DreamResult {
        try Options.stepsPerOctaveRange.check(options.stepsPerOctave, "steps per octave", in: "dream")
        try Options.octaveRange.check(options.octaves, "octaves", in: "dream")
        try Options.rateRange.check(options.rate, "rate", in: "dream")
        try NumberRange.above(1).check(options.octaveScale, "octave scale", in: "dream")
        guard network.layers.contains(where: { $0.name == layer }) else {
            throw EngineError.invalid("dream: \(network.name) has no layer '\(layer)'; its layers are "
                                      + network.layers.map(\.name).joined(separator: ", "))
        }
        let space = try InputSpace(network: network)
        let original = try image.converted(toChannels: space.imageChannels)
        // The image itself must reach the layer; a coarser octave is added only while it still
        // does and is large enough (32 px) for the layer's receptive field to matter.
        let floor = try NetworkInputFloor.minimumSide(of: network, until: layer)
        try NetworkInputFloor.check(height: original.height, width: original.width, minimum: floor, role: .image,
                                    network: network, layer: layer)
        var sizes: [(height: Int, width: Int)] = [(original.height, original.width)]
        for _ in 1..<options.octaves {
            let last = sizes[sizes.count - 1]
            let next = (Int((Float(last.height) / options.octaveScale).rounded()), Int((Float(last.width) / options.octaveScale).rounded()))
            guard Swift.min(next.0, next.1) >= Swift.max(32, floor) else { break }
            sizes.append(next)
        }
        let bases = try sizes.map { try original.resized(width: $0.width, height: $0.height) }
        var random = SeededRandom(seed: options.seed)
        let total = sizes.count * options.stepsPerOctave
        var done = 0
        var detail = [Float](repeating: 0, count: bases[bases.count - 1].pixels.count)
        var dreamed = bases[bases.count - 1]
        var firstValue: Float?
        var lastValue: Float = 0
        var interrupted = false
        octaves: for octave in (0..<sizes.count).reversed() {
            let base = bases[octave]
            if octave != sizes.count - 1 {
                let previous = bases[octave + 1]
                let carried = try Image(width: previous.width, height: previous.height, channels: previous.channels, pixels: detail)
                detail = try carried.resized(width: base.width, height: base.height).pixels
            }
            var pixels = zip(base.pixels, detail).map { Swift.min(Swift.max($0 + $1, 0), 1) }
            for _ in 0..<options.stepsPerOctave {
                do {
                    try Cancellation.check()
                    let (dy, dx) = ImagePrior.jitter(options.jitter, random: &random)
                    let shifted = ImagePrior.rolled(pixels, height: base.height, width: base.width, channels: base.channels, dy: dy, dx: dx)
                    let (value, shiftedGradient) = try gradient(network: network, space: space, layer: layer,
                                                                image: try Image(width: base.width, height: base.height,
                                                                                 channels: base.channels, pixels: shifted))
                    if firstValue == nil { firstValue = value }
                    lastValue = value
                    let gradient = ImagePrior.rolled(shiftedGradient, height: base.height, width: base.width,
                                                     channels: base.channels, dy: -dy, dx: -dx)
                    let scale = ImagePrior.stepScale(gradient, rate: options.rate)
                    for index in pixels.indices { pixels[index] = Swift.min(Swift.max(pixels[index] + scale * gradient[index], 0), 1) }
                    done += 1
                    if let progress {
                        let due = done % options.stepsPerOctave == 0
                        progress(done, total, due ? try Image(width: base.width, height: base.height, channels: base.channels, pixels: pixels) : nil)
                    }
                } catch EngineError.cancelled {
                    interrupted = true
                    dreamed = try Image(width: base.width, height: base.height, channels: base.channels, pixels: pixels)
                    break octaves
                }
            }
            detail = zip(pixels, base.pixels).map { $0 - $1 }
            dreamed = try Image(width: base.width, height: base.height, channels: base.channels, pixels: pixels)
        }
        if dreamed.width != original.width || dreamed.height != original.height {
            dreamed = try dreamed.resized(width: original.width, height: original.height)
        }
        var result = DreamResult(image: dreamed, original: original, layer: layer, network: network.name,
                                 octaves: sizes.count, steps: done, startValue: firstValue ?? 0, finalValue: lastValue)
        result.interrupted = interrupted
        return result
    }

    /// 1/2 mean(a^2) at `layer` and its gradient with respect to the image's pixels (HWC). The
    /// backward pass is seeded with a / count, the gradient of that mean.
    static func gradient(network: Network, space: InputSpace, layer: String, image: Image) throws -> (Float, [Float]) {
        let input = try space.tensor(from: image)
        input.requiresGrad = true
        let (output, activations) = try network.forward(input, capture: [layer], until: layer)
        let values = activations[layer] ?? output
        let count = Float(Swift.max(values.count, 1))
        let value = values.data.reduce(0) { $0 + $1 * $1 } / (2 * count)
        try values.backward(seed: values.data.map { $0 / count })
        let gradient = space.imageGradient(input.grad ?? [Float](repeating: 0, count: input.count),
                                           height: image.height, width: image.width)
        input.releaseGraph()
        return (value, gradient)
    }
}
