/// Network dissection (Bau, Zhou, Khosla, Oliva, Torralba 2017, "Network Dissection:
/// Quantifying Interpretability of Deep Visual Representations", CVPR, section 3.1):
///
/// 1. For every unit k of a layer, the threshold T_k such that P(a_k > T_k) = `quantile` (0.5%)
///    over every spatial position of every image. Computed exactly, streaming: a bounded
///    min-heap per unit keeps the K = ceil(quantile * images * H * W) largest values seen
///    (`QuantileThreshold`); T_k is the smallest kept, so exactly K - 1 values (ties aside) lie
///    above it, matching NetDissect's `upsampled > threshold`.
/// 2. Each activation map upsampled bilinearly (align_corners = false, as PyTorch's and
///    NetDissect's `upsample`) to the label mask size and thresholded: M_k = S_k > T_k.
/// 3. IoU_k,c = sum over images |M_k ∩ L_c| / sum |M_k ∪ L_c|, with the union from
///    |M_k| + |L_c| - |M_k ∩ L_c|; a unit's label is argmax_c IoU_k,c when it exceeds `labelThreshold` (0.04).
///
/// Activations of the first pass are kept for the second when they fit in `cacheBytes`, so one
/// forward pass suffices; otherwise the images are run again. Interrupted (shouldStop or the
/// cell's interrupt), the result covers the images done so far.
public struct NetworkDissection {
    public var quantile: Double = 0.005
    public var labelThreshold: Float = 0.04
    public var batchSize = 8
    /// The most bytes of activations kept between the two passes (else the images run twice).
    public var cacheBytes = 512 << 20
    /// How many images per unit the figure shows (the unit's strongest maxima).
    public var topImages = 5

    public init(quantile: Double = 0.005, labelThreshold: Float = 0.04, batchSize: Int = 8) {
        (self.quantile, self.labelThreshold, self.batchSize) = (quantile, labelThreshold, batchSize)
    }

    /// Dissects `layer` of `network` over `set`. `progress` gets (steps, total) with one step per
    /// image per pass. Throws `EngineError.invalid` for a bad layer or quantile,
    /// `EngineError.unsupported` for a layer that is not [N, C, H, W].
    public func run(network: Network, set: ConceptSet, layer: String, shouldStop: () -> Bool = { false },
                    progress: TechniqueProgress? = nil) throws -> DissectionResult {
        guard quantile > 0, quantile < 1 else { throw EngineError.invalid("dissect: quantile \(quantile) must be in (0, 1)") }
        guard !set.images.isEmpty else { throw EngineError.invalid("dissect: the concept set has no images") }
        let probe = NetworkProbe(network: network, technique: "dissect")
        _ = try probe.layer(layer)
        let total = 2 * set.images.count
        // Pass 1: thresholds (and the activations, when they fit).
        var thresholds: QuantileThreshold?
        var cached: [Tensor] = []
        var cachedBytes = 0, keepCache = true
        var firstPass = 0
        var shape = (units: 0, height: 0, width: 0)
        var strongest: [TopKHeap<(value: Float, image: Int)>] = []
        pass1: while firstPass < set.images.count {
            if shouldStop() { break }
            let end = min(firstPass + batchSize, set.images.count)
            let activation: Tensor
            do {
                activation = try forward(probe, set: set, range: firstPass..<end, layer: layer)
            } catch EngineError.cancelled { break pass1 }
            if thresholds == nil {
                shape = (activation.shape[1], activation.shape[2], activation.shape[3])
                let positions = set.images.count * shape.height * shape.width
                thresholds = QuantileThreshold(units: shape.units, keep: max(1, Int((quantile * Double(positions)).rounded(.up))))
                strongest = (0..<shape.units).map { _ in TopKHeap(capacity: topImages) { ($0.value, -$0.image) > ($1.value, -$1.image) } }
            }
            let plane = shape.height * shape.width
            activation.data.withUnsafeBufferPointer { data in
                for item in 0..<(end - firstPass) {
                    for unit in 0..<shape.units {
                        let base = (item * shape.units + unit) * plane
                        let values = UnsafeBufferPointer(rebasing: data[base..<(base + plane)])
                        thresholds?.offer(unit: unit, values)
                        strongest[unit].offer((values.max() ?? 0, firstPass + item))
                    }
                }
            }
            cachedBytes += activation.count * 4
            if keepCache, cachedBytes <= cacheBytes { cached.append(activation) } else { keepCache = false; cached = [] }
            firstPass = end
            progress?(firstPass, total)
        }
        guard let thresholds, firstPass > 0 else {
            throw EngineError.cancelled
        }
        let levels = thresholds.thresholds()
        // Pass 2: intersections and mask sizes over the images of pass 1.
        var overlap = IoUAccumulator(units: shape.units, concepts: set.concepts.count, maskSide: set.maskSide)
        var secondPass = 0
        var cacheIndex = 0
        pass2: while secondPass < firstPass {
            if !keepCache, shouldStop() { break }
            let end = min(secondPass + batchSize, firstPass)
            let activation: Tensor
            if keepCache {
                activation = cached[cacheIndex]
                cacheIndex += 1
            } else {
                do {
                    activation = try forward(probe, set: set, range: secondPass..<end, layer: layer)
                } catch EngineError.cancelled { break pass2 }
            }
            let count = activation.shape[0]
            for item in 0..<count {
                overlap.add(activation, item: item, thresholds: levels, labels: set.labels[secondPass + item])
            }
            secondPass += count
            progress?(set.images.count + secondPass, total)
        }
        var labelCounts = [Int](repeating: 0, count: set.concepts.count)
        for labels in set.labels.prefix(secondPass) {
            for label in labels where label > 0 { labelCounts[Int(label) - 1] += 1 }
        }
        var result = DissectionResult(layer: layer, concepts: set.concepts, thresholds: levels,
                                iou: overlap.iou(labelCounts: labelCounts), labelThreshold: labelThreshold,
                                imagesUsed: secondPass, imagesGiven: set.images.count,
                                topImages: strongest.map { $0.sorted().map(\.image).filter { $0 < secondPass } })
        result.quantile = quantile
        return result
    }

    func forward(_ probe: NetworkProbe, set: ConceptSet, range: Range<Int>, layer: String) throws -> Tensor {
        try Cancellation.check()
        let inputs = try range.map { try probe.input(set.images[$0]) }
        let batch = inputs.count == 1 ? inputs[0] : try Tensor.concat(inputs, axis: 0)
        let (output, activations) = try probe.network.forward(batch, capture: [layer], until: layer)
        let activation = activations[layer] ?? output
        guard activation.rank == 4, activation.shape[0] == inputs.count else {
            throw EngineError.unsupported("dissect: layer '\(layer)' has shape \(activation.shape); dissection needs a [N, C, H, W] layer")
        }
        return activation
    }
}
