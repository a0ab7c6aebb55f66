/// Maximally activating patches over thousands of images (lecture 000, 1.7; Girshick et al.
/// 2014; Zeiler & Fergus 2014): one streaming pass in batches that keeps, for every channel
/// asked, the top-k units in a heap (`TopKHeap`), so memory is one batch of activations plus k
/// candidates per channel, whatever the number of images.
///
/// With `crops > 0` every image is also seen through that many random square crops at three
/// scales (30%, 50% and 70% of its shorter side, positions from `seed`), each resized to the
/// network's input: an early layer's small receptive field then meets its pattern at many sizes.
public struct PatchSearch {
    public var top = 9
    /// At most this many patches from one image (over all its crops), so one photo cannot fill the grid.
    public var perImage = 1
    public var crops = 0
    public var seed: UInt64 = 0
    /// Inputs per forward pass (the full image and its crops count one each).
    public var batchSize = 8

    /// The three crop scales, as fractions of the image's shorter side.
    public static let cropScales: [Double] = [0.3, 0.5, 0.7]

    public init(top: Int = 9, perImage: Int = 1, crops: Int = 0, seed: UInt64 = 0, batchSize: Int = 8) {
        (self.top, self.perImage, self.crops, self.seed, self.batchSize) = (top, perImage, crops, seed, batchSize)
    }

    /// What the search found: one result per channel asked, and how many images it got through
    /// (fewer than given when `shouldStop` ended it early: the best so far).
    public struct Outcome {
        public let results: [PatchResult]
        public let imagesSearched: Int
        public let imagesGiven: Int
        public var stopped: Bool { imagesSearched < imagesGiven }

        /// One row of crops per channel, the first labelled with its channel (the lecture's
        /// "top regions for six units" figure); rows with fewer patches are padded.
        public func renderRows(title: String, tileSize: Int = 64) -> Canvas {
            let top = results.map(\.patches.count).max() ?? 0
            var tiles: [Canvas] = [], labels: [String] = []
            for result in results {
                for (column, patch) in result.patches.enumerated() {
                    tiles.append(Canvas(image: patch.crop))
                    labels.append(column == 0 ? "ch \(result.channel): \(NumberLabel.format(patch.value))" : NumberLabel.format(patch.value))
                }
                for _ in result.patches.count..<top { tiles.append(Canvas(width: 1, height: 1)); labels.append("") }
            }
            return TileGrid(title: title, tiles: tiles, labels: labels, caption: "one row per channel; label = activation",
                            columns: max(1, top), tileSize: tileSize).renderSmooth()
        }
    }

    /// Like `renderRows`, each patch followed by the views `options` asks for (its receptive
    /// field on the image, its guided backpropagation), labelled "field" and "guided".
    /// Throws what the guided pass throws (an interrupt included).
    public static func renderRows(_ outcome: Outcome, title: String, images: [Image], network: Network,
                                  views options: PatchViews.Options, tileSize: Int = 96) throws -> Canvas {
        let top = outcome.results.map(\.patches.count).max() ?? 0
        let perPatch = options.tilesPerPatch
        var tiles: [Canvas] = [], labels: [String] = []
        for result in outcome.results {
            tiles += try PatchViews.tiles(result, images: images, network: network, options: options)
            for (column, patch) in result.patches.enumerated() {
                labels.append(column == 0 ? "ch \(result.channel): \(NumberLabel.format(patch.value))" : NumberLabel.format(patch.value))
                if options.context { labels.append("field") }
                if options.guided { labels.append("guided") }
            }
            for _ in (result.patches.count * perPatch)..<(top * perPatch) { tiles.append(Canvas(width: 1, height: 1)); labels.append("") }
        }
        let parts = ["patch"] + (options.context ? ["its receptive field on the image"] : [])
            + (options.guided ? ["guided backprop of that unit"] : [])
        return TileGrid(title: title, tiles: tiles, labels: labels,
                        caption: "one row per channel; each " + parts.joined(separator: ", ") + "; label = activation",
                        columns: max(1, top * perPatch), tileSize: tileSize).renderSmooth()
    }

    /// One unit: its value, image, view (0 = the whole image, else the crop's square box in the
    /// image's pixels) and position in the layer's grid.
    struct Candidate {
        let value: Float
        let image: Int
        let view: Int
        let box: (x0: Int, y0: Int, side: Int)?
        let y: Int
        let x: Int

        /// A strict total order (value, then earlier image, view, row, column), so the heap's
        /// result equals a full sort of every candidate.
        static func ranks(_ a: Candidate, _ b: Candidate) -> Bool {
            if a.value != b.value { return a.value > b.value }
            if a.image != b.image { return a.image < b.image }
            if a.view != b.view { return a.view < b.view }
            if a.y != b.y { return a.y < b.y }
            return a.x < b.x
        }
    }

    /// Searches `images` for the strongest units of `channels` at `layer`.
    /// `progress` gets (images done, images given) after each batch; `shouldStop` is asked
    /// before each batch, and an interrupt inside a forward pass also ends the search with the
    /// patches found so far. Throws `EngineError.invalid` for a bad channel, count or layer,
    /// `EngineError.unsupported` when the layer is not a [N, C, H, W] grid.
    public func run(network: Network, images: [Image], layer: String, channels: [Int],
                    shouldStop: () -> Bool = { false }, progress: TechniqueProgress? = nil) throws -> Outcome {
        guard top >= 1, perImage >= 1, crops >= 0, batchSize >= 1 else {
            throw EngineError.invalid("patches: top, per-image count and batch size must be >= 1 and crops >= 0")
        }
        guard !images.isEmpty else { throw EngineError.invalid("patches: no images given") }
        guard !channels.isEmpty else { throw EngineError.invalid("patches: no channels given") }
        let probe = NetworkProbe(network: network, technique: "patches")
        let info = try probe.layer(layer)
        var heaps = channels.map { _ in TopKHeap<Candidate>(capacity: top, ranks: Candidate.ranks) }
        let viewsPerImage = 1 + crops
        let imagesPerBatch = Swift.max(1, batchSize / viewsPerImage)
        var searched = 0
        search: while searched < images.count {
            if shouldStop() { break }
            let end = Swift.min(searched + imagesPerBatch, images.count)
            var perImageHeaps: [[TopKHeap<Candidate>]] = []
            do {
                var inputs: [Tensor] = []
                var owners: [(image: Int, view: Int, box: (x0: Int, y0: Int, side: Int)?)] = []
                for index in searched..<end {
                    for (view, box) in views(of: images[index], index: index).enumerated() {
                        let seen = box.map { images[index].cropped(x0: $0.x0, y0: $0.y0, side: $0.side) } ?? images[index]
                        inputs.append(try probe.input(seen))
                        owners.append((index, view, box))
                    }
                }
                perImageHeaps = (searched..<end).map { _ in channels.map { _ in TopKHeap<Candidate>(capacity: perImage, ranks: Candidate.ranks) } }
                let batch = inputs.count == 1 ? inputs[0] : try Tensor.concat(inputs, axis: 0)
                let (output, activations) = try network.forward(batch, capture: [layer], until: layer)
                let activation = activations[layer] ?? output
                guard activation.rank == 4, activation.shape[0] == inputs.count else {
                    throw EngineError.unsupported("patches: layer '\(layer)' has shape \(activation.shape); patches need a [N, C, H, W] layer")
                }
                let (count, height, width) = (activation.shape[1], activation.shape[2], activation.shape[3])
                if let bad = channels.first(where: { $0 < 0 || $0 >= count }) {
                    throw EngineError.invalid("patches: channel \(bad) is outside 0..<\(count) of layer '\(layer)'")
                }
                activation.data.withUnsafeBufferPointer { data in
                    for (item, owner) in owners.enumerated() {
                        for (slot, channel) in channels.enumerated() {
                            let base = (item * count + channel) * height * width
                            for position in 0..<(height * width) {
                                perImageHeaps[owner.image - searched][slot].offer(
                                    Candidate(value: data[base + position], image: owner.image, view: owner.view, box: owner.box,
                                              y: position / width, x: position % width))
                            }
                        }
                    }
                }
            } catch EngineError.cancelled {
                break search // the best found in the batches already searched
            }
            for imageHeaps in perImageHeaps {
                for (slot, heap) in imageHeaps.enumerated() {
                    for candidate in heap.sorted() { heaps[slot].offer(candidate) }
                }
            }
            searched = end
            progress?(searched, images.count)
        }
        let results = try zip(channels, heaps).map { channel, heap in
            try assemble(heap.sorted(), probe: probe, info: info, images: images, channel: channel)
        }
        return Outcome(results: results, imagesSearched: searched, imagesGiven: images.count)
    }

    /// The views of image `index`: nil for the whole image, then `crops` square boxes whose side
    /// cycles through `cropScales` and whose corner is drawn from a generator seeded by
    /// (`seed`, `index`), so a crop does not depend on the batch size or on other images.
    func views(of image: Image, index: Int) -> [(x0: Int, y0: Int, side: Int)?] {
        var result: [(x0: Int, y0: Int, side: Int)?] = [nil]
        guard crops > 0 else { return result }
        var random = SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &+ 1)
        let shorter = Swift.min(image.width, image.height)
        for crop in 0..<crops {
            let side = Swift.max(8, Int(Double(shorter) * Self.cropScales[crop % Self.cropScales.count]))
            let x0 = random.integer(in: 0..<(image.width - side + 1)), y0 = random.integer(in: 0..<(image.height - side + 1))
            result.append((x0, y0, side))
        }
        return result
    }

    /// Crops each candidate's receptive field from its view as the network saw it.
    func assemble(_ candidates: [Candidate], probe: NetworkProbe, info: LayerInfo, images: [Image],
                  channel: Int) throws -> PatchResult {
        let (inputHeight, inputWidth) = probe.network.inputSize
        var patches: [Patch] = []
        for candidate in candidates {
            let source = images[candidate.image]
            let seen = candidate.box.map { source.cropped(x0: $0.x0, y0: $0.y0, side: $0.side) } ?? source
            let image = try probe.network.deprocess(try probe.input(seen))
            let box = info.receptiveBox(x: candidate.x, y: candidate.y, inputWidth: inputWidth, inputHeight: inputHeight)
            patches.append(Patch(imageIndex: candidate.image, y: candidate.y, x: candidate.x, value: candidate.value,
                                 x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1,
                                 crop: MaximallyActivatingPatches.crop(image, x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1),
                                 view: candidate.box))
        }
        return PatchResult(layer: info.name, channel: channel, receptiveField: info.receptiveField, patches: patches)
    }
}

extension Image {
    /// The square [x0, x0 + side) x [y0, y0 + side), clipped to the image (a crop view).
    func cropped(x0: Int, y0: Int, side: Int) -> Image {
        let x1 = Swift.min(width, x0 + side), y1 = Swift.min(height, y0 + side)
        return MaximallyActivatingPatches.crop(self, x0: x0, y0: y0, x1: x1, y1: y1)
    }
}
