import Foundation

/// One image's activations at every layer with a channel grid, from a single forward pass, for
/// tools that look at many layers and channels of the same image: the Deep Visualization
/// Toolbox's live view (Yosinski et al. 2015, "Understanding Neural Networks Through Deep
/// Visualization") recomputes nothing when the student moves from one channel to the next.
///
/// Sample photos for the top patches are run once per layer and kept too. Safe to use from
/// several threads: every cache is behind one lock, and the forward passes only read the
/// network's weights.
public final class CachedProbe: @unchecked Sendable {
    public let network: Network
    /// The image as given (gradients start from it).
    public let image: Image
    /// The image as the network saw it (resized, cropped, deprocessed), for drawing beside maps.
    public let seen: Image
    /// The layers whose output is a [C, H, W] grid (what a channel slider can walk), in network order.
    public let layers: [LayerInfo]
    private let activations: [String: Tensor]
    private let probe: NetworkProbe
    private let lock = NSLock()
    private var photoActivations: [String: [(start: Int, activation: Tensor)]] = [:]

    /// Runs `image` forward once, keeping every grid layer's output ([1, C, H, W] each).
    /// Errors: the network's own (an image below its input floor, a preprocessing mismatch), or
    /// `.unsupported` when no layer has a [C, H, W] output.
    public init(network: Network, image: Image) throws {
        self.network = network
        self.image = image
        probe = NetworkProbe(network: network, technique: "explore")
        layers = network.layers.filter { $0.outputShape.count == 3 && $0.outputShape[0] > 0 }
        guard !layers.isEmpty else {
            throw EngineError.unsupported("explore: \(network.name) has no layer with a [C, H, W] output to explore")
        }
        let input = try probe.input(image)
        seen = try network.deprocess(input)
        activations = try network.forward(input, capture: Set(layers.map(\.name)), until: nil).activations
    }

    /// The layer called `name`, among the grid layers; the error lists them.
    public func layer(_ name: String) throws -> LayerInfo {
        guard let info = layers.first(where: { $0.name == name }) else {
            throw EngineError.invalid("explore: \(network.name) has no grid layer '\(name)'; they are "
                                      + layers.map(\.name).joined(separator: ", "))
        }
        return info
    }

    /// How many channels `layer` has.
    public func channelCount(_ layer: String) throws -> Int {
        try self.layer(layer).outputShape[0]
    }

    /// Channel `channel` of `layer` for the image: [H, W] raw activations, from the cache.
    public func map(layer: String, channel: Int) throws -> ScalarMap {
        let info = try self.layer(layer)
        guard let tensor = activations[layer], tensor.rank == 4, tensor.shape[0] == 1 else {
            throw EngineError.invalid("explore: the forward pass recorded no [1, C, H, W] output for '\(layer)'")
        }
        let (channels, height, width) = (tensor.shape[1], tensor.shape[2], tensor.shape[3])
        guard channel >= 0, channel < channels else {
            throw EngineError.invalid("explore: channel \(channel) is outside 0..<\(channels) of layer '\(info.name)'")
        }
        let plane = height * width
        return ScalarMap(validHeight: height, width: width,
                         values: Array(tensor.data[(channel * plane)..<((channel + 1) * plane)]))
    }

    /// The image as seen beside channel `channel` of `layer`, min-max toned and enlarged to the
    /// input's size (nearest neighbour, so each unit stays a visible square).
    public func renderActivation(layer: String, channel: Int) throws -> Canvas {
        let map = try self.map(layer: layer, channel: channel)
        let mapped = ToneMap.minMax.apply(map.values)
        let tile = Colormap.gray.render(mapped.values, width: map.width, height: map.height) ?? Canvas(width: 1, height: 1)
        let side = max(seen.width, seen.height)
        let count = try channelCount(layer)
        return TileGrid(title: "\(layer) channel \(channel) of \(count), \(map.height) x \(map.width)",
                        tiles: [Canvas(image: seen), tile], labels: ["input", "channel \(channel)"],
                        caption: "tone: \(mapped.caption)", columns: 2, tileSize: side).render()
    }

    /// The `top` patches of `photos` that most activate `channel` of `layer` (at most one per
    /// photo), as `MaximallyActivatingPatches` finds them. The photos' activations at `layer`
    /// are computed on the first call for that layer and reused; pass the same photos each time.
    public func patches(layer: String, channel: Int, photos: [Image], top: Int = 9) throws -> PatchResult {
        let info = try self.layer(layer)
        guard top >= 1 else { throw EngineError.invalid("explore: top must be at least 1, got \(top)") }
        let batches = try photoBatches(layer: info.name, photos: photos)
        var candidates: [MaximallyActivatingPatches.Candidate] = []
        for batch in batches {
            candidates += try MaximallyActivatingPatches.strongest(batch.activation, firstImage: batch.start,
                                                                   layer: info.name, channel: channel, perImage: 1)
        }
        return try MaximallyActivatingPatches.assemble(candidates, probe: probe, info: info, images: photos,
                                                       channel: channel, top: top)
    }

    private func photoBatches(layer: String, photos: [Image]) throws -> [(start: Int, activation: Tensor)] {
        if let cached = lock.withLock({ photoActivations[layer] }) { return cached }
        var batches: [(start: Int, activation: Tensor)] = []
        try probe.activationBatches(photos, layer: layer, progress: nil) { start, activation in
            batches.append((start, activation))
        }
        lock.withLock { photoActivations[layer] = batches }
        return batches
    }
}
