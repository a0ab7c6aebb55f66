import Foundation

/// The adversarial patch (Brown, Mané, Roy, Abadi and Gilmer 2017, "Adversarial patch",
/// arXiv:1712.09665; lecture 002): one small square image that, pasted anywhere on a photo, makes
/// the network see a chosen class.
///
/// Trained by expectation over transformation (Brown et al. eq. 2; Athalye et al. 2018): each step
/// takes `batch` training images, pastes the patch on each with a random placement
/// (`PatchPlacement.random`: location anywhere the patch fits, side scaled by `scales`, rotation in
/// `degrees`), and follows the gradient of the mean log p(class) with Adam, keeping the patch's
/// pixels in 0...1. The patch covers `size` of the image's area at scale 1.
///
/// Its success rate is measured on held-out images the network does not already call the class:
/// each gets the patch at scale 1 in `trials` random places and rotations, and a trial succeeds when
/// the class is the top prediction.
public enum AdversarialPatch {
    public struct Options: Sendable {
        public static let sizeRange = NumberRange.aboveUpTo(0, 0.5)
        public static let stepRange = NumberRange.closed(1, 100_000)
        public static let rateRange = NumberRange.aboveUpTo(0, 1)
        /// The share of the image's area the patch covers at scale 1.
        public var size: Float = 0.1
        public var steps = 300
        /// Training images per step.
        public var batch = 8
        /// Adam's learning rate, in pixel units.
        public var rate: Float = 0.02
        /// The side's scale range during training (Brown et al. draw the scale at random).
        public var scales: ClosedRange<Float> = 0.8...1.2
        /// The rotation range in degrees, during training and evaluation.
        public var degrees: ClosedRange<Float> = -20...20
        /// Random placements per held-out image when measuring the success rate.
        public var trials = 4
        public var seed: UInt64 = 0
        public init(size: Float = 0.1, steps: Int = 300, batch: Int = 8, rate: Float = 0.02, seed: UInt64 = 0) {
            self.size = size
            self.steps = steps
            self.batch = batch
            self.rate = rate
            self.seed = seed
        }
    }

    /// Called after each step with (step, total steps, the patch now, mean log p(class) of the step).
    public typealias Progress = (Int, Int, Image, Float) -> Void

    /// Trains a patch on `training` and measures it on `heldOut` (both any size; each is resized
    /// and centre-cropped to the network's input). An interrupt ends the training early and the
    /// patch so far is measured. Throws when there are no training images, the class is not the
    /// network's, or an option is out of range.
    public static func run(network: Network, training: [Image], heldOut: [Image], target: Int,
                           options: Options = Options(), progress: Progress? = nil) throws -> AdversarialPatchResult {
        try Options.sizeRange.check(options.size, "size", in: "patch")
        try Options.stepRange.check(options.steps, "steps", in: "patch")
        try Options.rateRange.check(options.rate, "rate", in: "patch")
        guard !training.isEmpty else { throw EngineError.invalid("patch: no training images") }
        guard target >= 0, target < network.classNames.count else {
            throw EngineError.invalid("patch: class \(target) is outside 0..<\(network.classNames.count) for \(network.name)")
        }
        let probe = NetworkProbe(network: network, technique: "patch")
        let space = try InputSpace(network: network)
        let (height, width) = network.inputSize
        let channels = network.inputChannels
        let side = Swift.max(2, Int((options.size * Float(height * width)).squareRoot().rounded()))
        let trainPixels = try training.map { try network.deprocess(try probe.input($0)).pixels }
        let heldOutPixels = try heldOut.map { try network.deprocess(try probe.input($0)).pixels }

        var random = SeededRandom(seed: options.seed)
        var patch = (0..<(side * side * channels)).map { _ in random.uniform() }
        var adam = AdamState(count: patch.count)
        var objectives: [Float] = []
        var interrupted = false
        let batch = Swift.max(1, Swift.min(options.batch, trainPixels.count * 4))
        do {
            for step in 1...options.steps {
                try Cancellation.check()
                var images: [[Float]] = [], placements: [PatchPlacement] = []
                for _ in 0..<batch {
                    let placement = PatchPlacement.random(side: side, height: height, width: width, scales: options.scales,
                                                          degrees: options.degrees, random: &random)
                    let source = trainPixels[random.integer(in: 0..<trainPixels.count)]
                    images.append(placement.apply(patch: patch, to: source, channels: channels))
                    placements.append(placement)
                }
                let (logProbabilities, gradients) = try logProbabilityGradients(network: network, space: space, images: images,
                                                                                 height: height, width: width, target: target)
                // Adam descends: hand it the gradient of -mean log p.
                var gradient = [Float](repeating: 0, count: patch.count)
                for (placement, imageGradient) in zip(placements, gradients) {
                    for (index, value) in placement.patchGradient(imageGradient, channels: channels).enumerated() {
                        gradient[index] -= value / Float(batch)
                    }
                }
                adam.step(&patch, gradient: gradient, rate: options.rate)
                for index in patch.indices { patch[index] = Swift.min(Swift.max(patch[index], 0), 1) }
                let objective = logProbabilities.reduce(0, +) / Float(batch)
                objectives.append(objective)
                progress?(step, options.steps, try Image(width: side, height: side, channels: channels, pixels: patch), objective)
            }
        } catch EngineError.cancelled {
            interrupted = true
        }
        let patchImage = try Image(width: side, height: side, channels: channels, pixels: patch)
        var evaluation = try evaluate(network: network, space: space, patch: patch, side: side, images: heldOutPixels,
                                      target: target, options: options, random: &random)
        evaluation.interrupted = interrupted
        evaluation.objectives = objectives
        return try evaluation.result(patch: patchImage, network: network, target: target, size: options.size,
                                     trainingCount: training.count)
    }

    /// Each image's log p(target) and its gradient with respect to the image's pixels (HWC), from
    /// one forward and backward pass over the batch.
    static func logProbabilityGradients(network: Network, space: InputSpace, images: [[Float]], height: Int, width: Int,
                                        target: Int) throws -> ([Float], [[Float]]) {
        let input = try batchTensor(network: network, space: space, images: images, height: height, width: width)
        input.requiresGrad = true
        defer { input.releaseGraph() }
        let (logits, _) = try network.forward(input, capture: [], until: nil)
        let logProbabilities = try logits.logSoftmax(axis: -1)
        let classes = logProbabilities.count / images.count
        var seed = [Float](repeating: 0, count: logProbabilities.count)
        for item in images.indices { seed[item * classes + target] = 1 }
        try logProbabilities.backward(seed: seed)
        let gradient = input.grad ?? [Float](repeating: 0, count: input.count)
        let itemSize = input.count / images.count
        return (images.indices.map { logProbabilities.data[$0 * classes + target] },
                images.indices.map { space.imageGradient(gradient, offset: $0 * itemSize, height: height, width: width) })
    }

    /// The network input [N, C, H, W] for HWC images at its input size.
    static func batchTensor(network: Network, space: InputSpace, images: [[Float]], height: Int, width: Int) throws -> Tensor {
        var data: [Float] = []
        data.reserveCapacity(images.count * network.inputChannels * height * width)
        for pixels in images {
            let image = try Image(width: width, height: height, channels: network.inputChannels, pixels: pixels)
            data += try space.tensor(from: image).data
        }
        return try Tensor(shape: [images.count, network.inputChannels, height, width], data: data)
    }

    /// The network's top class for each HWC image, in batches of 16.
    static func topClasses(network: Network, space: InputSpace, images: [[Float]], height: Int, width: Int) throws -> [(Int, Float)] {
        var result: [(Int, Float)] = []
        for start in stride(from: 0, to: images.count, by: 16) {
            let chunk = Array(images[start..<Swift.min(start + 16, images.count)])
            let logits = try network.forward(try batchTensor(network: network, space: space, images: chunk, height: height, width: width),
                                             capture: [], until: nil).output
            let probabilities = try logits.softmax(axis: -1).data
            let classes = probabilities.count / chunk.count
            for item in chunk.indices {
                let row = probabilities[(item * classes)..<((item + 1) * classes)]
                let top = row.indices.max { row[$0] < row[$1] } ?? row.startIndex
                result.append((top - item * classes, row[top]))
            }
        }
        return result
    }

    /// Success rate on the held-out images not already classified as the target.
    static func evaluate(network: Network, space: InputSpace, patch: [Float], side: Int, images: [[Float]], target: Int,
                         options: Options, random: inout SeededRandom) throws -> AdversarialPatchResult.Evaluation {
        let (height, width) = network.inputSize
        let channels = network.inputChannels
        let clean = try topClasses(network: network, space: space, images: images, height: height, width: width)
        let eligible = images.indices.filter { clean[$0].0 != target }
        var patched: [[Float]] = []
        for index in eligible {
            for _ in 0..<options.trials {
                let placement = PatchPlacement.random(side: side, height: height, width: width, scales: 1...1,
                                                      degrees: options.degrees, random: &random)
                patched.append(placement.apply(patch: patch, to: images[index], channels: channels))
            }
        }
        let predictions = try topClasses(network: network, space: space, images: patched, height: height, width: width)
        return AdversarialPatchResult.Evaluation(excluded: images.count - eligible.count, eligible: eligible.count, trials: options.trials,
                                      patched: patched, predictions: predictions, height: height, width: width, channels: channels)
    }
}
