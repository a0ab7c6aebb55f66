/// Maximally activating patches (lecture 000, 1.7; Girshick et al. 2014): run many images,
/// find the largest values of one channel of one layer, and crop each from its image at the
/// unit's receptive field.
public enum MaximallyActivatingPatches {
    /// The `top` largest activations of `channel` at `layer` over `images`, at most `perImage` from
    /// any one image (so one photograph does not fill the grid with near-copies).
    public static func compute(network: Network, images: [Image], layer: String, channel: Int, top: Int = 9,
                               perImage: Int = 1, progress: TechniqueProgress? = nil) throws -> PatchResult {
        guard top >= 1, perImage >= 1 else {
            throw EngineError.invalid("patches: top and per-image counts must be >= 1, got \(top) and \(perImage)")
        }
        let probe = NetworkProbe(network: network, technique: "patches")
        let info = try probe.layer(layer)
        var candidates: [Candidate] = []
        try probe.activationBatches(images, layer: layer, progress: progress) { start, activation in
            candidates += try strongest(activation, firstImage: start, layer: layer, channel: channel, perImage: perImage)
        }
        return try assemble(candidates, probe: probe, info: info, images: images, channel: channel, top: top)
    }

    /// One unit's value: image `image`, position (`y`, `x`) of the layer's grid.
    typealias Candidate = (value: Float, image: Int, y: Int, x: Int)

    /// The `perImage` largest values of `channel` in each item of `activation` [n, C, H, W], whose
    /// first item is image `firstImage`.
    static func strongest(_ activation: Tensor, firstImage: Int, layer: String, channel: Int,
                          perImage: Int) throws -> [Candidate] {
        guard activation.rank == 4 else {
            throw EngineError.unsupported("patches: layer '\(layer)' has shape \(activation.shape); patches need a [N, C, H, W] layer")
        }
        let (channels, height, width) = (activation.shape[1], activation.shape[2], activation.shape[3])
        guard channel >= 0, channel < channels else {
            throw EngineError.invalid("patches: channel \(channel) is outside 0..<\(channels) of layer '\(layer)'")
        }
        var candidates: [Candidate] = []
        for item in 0..<activation.shape[0] {
            let base = (item * channels + channel) * height * width
            var best: [Candidate] = []
            for index in 0..<(height * width) {
                best.append((activation.data[base + index], firstImage + item, index / width, index % width))
            }
            best.sort { $0.value > $1.value }
            candidates.append(contentsOf: best.prefix(perImage))
        }
        return candidates
    }

    /// The `top` strongest candidates, each cropped from its (preprocessed) image at the unit's
    /// receptive field; ties go to the earlier image.
    static func assemble(_ found: [Candidate], probe: NetworkProbe, info: LayerInfo, images: [Image], channel: Int,
                         top: Int) throws -> PatchResult {
        let candidates = found.sorted { ($0.value, -$0.image) > ($1.value, -$1.image) }
        let network = probe.network
        let (inputHeight, inputWidth) = network.inputSize
        var seen: [Int: Image] = [:]
        var patches: [Patch] = []
        for candidate in candidates.prefix(top) {
            let image: Image
            if let cached = seen[candidate.image] {
                image = cached
            } else {
                image = try network.deprocess(try probe.input(images[candidate.image]))
                seen[candidate.image] = image
            }
            let box = info.receptiveBox(x: candidate.x, y: candidate.y, inputWidth: inputWidth, inputHeight: inputHeight)
            patches.append(Patch(imageIndex: candidate.image, y: candidate.y, x: candidate.x, value: candidate.value,
                                 x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1,
                                 crop: crop(image, x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1)))
        }
        return PatchResult(layer: info.name, channel: channel, receptiveField: info.receptiveField, patches: patches)
    }

    /// The pixels of `image` in [x0, x1) x [y0, y1).
    static func crop(_ image: Image, x0: Int, y0: Int, x1: Int, y1: Int) -> Image {
        let width = Swift.max(1, x1 - x0), height = Swift.max(1, y1 - y0)
        var pixels = [Float](repeating: 0, count: width * height * image.channels)
        for y in 0..<height where y0 + y < image.height {
            for x in 0..<width where x0 + x < image.width {
                for channel in 0..<image.channels {
                    pixels[(y * width + x) * image.channels + channel] = image.value(x: x0 + x, y: y0 + y, channel: channel)
                }
            }
        }
        return Image(validWidth: width, height: height, channels: image.channels, pixels: pixels)
    }
}
