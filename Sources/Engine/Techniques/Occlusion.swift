import Foundation

/// Saliency by occlusion (Zeiler and Fergus 2014; lecture 000, 1.10; lectures 002-004): slide a
/// square over the image and record the probability of the class at each position. Where the
/// probability drops most, the network was looking.
public enum Occlusion {
    public struct Options: Sendable {
        /// Side of the square, in input pixels.
        public var window: Int = 32
        /// Step between positions, in input pixels; at most `window`, so that no pixel lies
        /// between squares. The last square of a row or column sits flush with the edge.
        public var stride: Int = 8
        public var fill: OcclusionFill = .mean
        /// Occluded copies per forward pass: batching amortises the per-call overhead, but large
        /// batches fall out of cache. Measured on SqueezeNet (2 cores): 8 -> 44 frames/s,
        /// 16 -> 38, 32 -> 29.
        public var batchSize: Int = 8
        public init(window: Int = 32, stride: Int = 8, fill: OcclusionFill = .mean, batchSize: Int = 8) {
            self.window = window
            self.stride = stride
            self.fill = fill
            self.batchSize = batchSize
        }

        /// Why these options would leave pixels that no square covers, or nil when every pixel
        /// is covered. A pixel between squares has no measured value: showing any probability
        /// there would be a guess (and 0 reads as "most important").
        public var coverageProblem: String? {
            guard stride > window else { return nil }
            return "stride \(stride) is larger than window \(window), so strips \(stride - window) \(stride - window == 1 ? "pixel" : "pixels") wide between "
                + "neighbouring squares would never be hidden and its importance never measured; use a stride of at most \(window)"
        }
    }

    /// Probability of `classIndex` (nil: the top-1 class of the clean image) for every position
    /// of the square. `progress` reports batches done.
    public static func compute(network: Network, image: Image, classIndex: Int?, options: Options = Options(),
                               progress: TechniqueProgress? = nil) throws -> OcclusionResult {
        let probe = NetworkProbe(network: network, technique: "occlusion")
        let input = try probe.input(image)
        let (height, width) = network.inputSize
        let plan = try OcclusionPlan(height: height, width: width, options: options)
        let fill = try options.fill.channelValues(input: input, network: network)

        let (cleanLogits, _) = try network.forward(input, capture: [], until: nil)
        let classes = try probe.classCount(of: cleanLogits, batch: 1)
        let target = try probe.resolveClass(classIndex, logits: cleanLogits.data[0..<classes])
        let baseline = probabilities(cleanLogits.data, classes: classes, classIndex: target)[0]

        var values = [Float](repeating: 0, count: plan.positions.count)
        try runBatches(network: network, input: input, plan: plan, fill: fill, batchSize: options.batchSize,
                       progress: progress) { start, logits in
            let batch = try probe.classCount(of: logits, batch: logits.shape[0])
            let probabilities = probabilities(logits.data, classes: batch, classIndex: target)
            for (offset, probability) in probabilities.enumerated() { values[start + offset] = probability }
        }
        let grid = ScalarMap(validHeight: plan.rows, width: plan.columns, values: values)
        return OcclusionResult(
            image: try network.deprocess(input.detached()), classIndex: target,
            className: target < network.classNames.count ? network.classNames[target] : nil,
            baseline: baseline, probabilities: grid, pixelMap: plan.pixelMap(grid),
            window: options.window, stride: options.stride, fill: options.fill)
    }

    /// Runs every occluded copy through the network, `batchSize` at a time, handing each batch's
    /// logits (and the index of its first position) to `consume`.
    static func runBatches(network: Network, input: Tensor, plan: OcclusionPlan, fill: [Float], batchSize: Int,
                           progress: TechniqueProgress?,
                           consume: (Int, Tensor) throws -> Void) throws {
        let batchSize = Swift.max(1, Swift.min(batchSize, 256))
        let itemSize = input.count
        let batches = (plan.positions.count + batchSize - 1) / batchSize
        for batchIndex in 0..<batches {
            try Cancellation.check()
            let start = batchIndex * batchSize
            let count = Swift.min(batchSize, plan.positions.count - start)
            var values = [Float](repeating: 0, count: count * itemSize)
            values.withUnsafeMutableBufferPointer { target in
                input.data.withUnsafeBufferPointer { source in
                    guard let targetStart = target.baseAddress, let sourceStart = source.baseAddress else { return }
                    for item in 0..<count {
                        let base = targetStart + item * itemSize
                        base.update(from: sourceStart, count: itemSize)
                        plan.occlude(base, position: plan.positions[start + item], fill: fill)
                    }
                }
            }
            var shape = input.shape
            shape[0] = count
            let (logits, _) = try network.forward(try Tensor(shape: shape, data: values), capture: [], until: nil)
            try consume(start, logits)
            progress?(batchIndex + 1, batches)
        }
    }

    /// softmax(logits row)[classIndex] for each row of a [N, classes] buffer (in Double).
    static func probabilities(_ logits: [Float], classes: Int, classIndex: Int) -> [Float] {
        let rows = logits.count / classes
        return (0..<rows).map { row in
            let slice = logits[(row * classes)..<((row + 1) * classes)]
            let largest = Double(slice.max() ?? 0)
            let total = slice.reduce(0.0) { $0 + Foundation.exp(Double($1) - largest) }
            return Float(Foundation.exp(Double(slice[row * classes + classIndex]) - largest) / total)
        }
    }
}
