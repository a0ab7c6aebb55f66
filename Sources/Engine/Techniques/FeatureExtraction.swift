/// Features of images at a layer, and the images nearest to a query in that feature space.
///
/// Both stream: images go through the network a batch at a time, only the chosen layer is kept
/// (the forward pass stops there), and each batch's activation is reduced to one vector per
/// image (features) or one distance per image (neighbors) before the next batch runs, so
/// thousands of images cost one batch of activations plus what is returned.
public enum FeatureExtraction {
    /// How an image's [C, H, W] activation becomes its feature vector.
    public enum Pooling: String, CaseIterable, Sendable {
        /// Every value, flattened (C * H * W columns): the CNN code as the lectures use it.
        case none
        /// The mean of each channel over the grid (C columns): global average pooling, so a
        /// late layer of 2,000 images fits in memory (fire9: 512 values instead of 86,528).
        case mean
        /// The maximum of each channel over the grid (C columns).
        case max
    }

    /// n x d matrix: row i is image i's activation at `layer`, flattened or pooled per channel.
    /// `progress` gets (images done, images given). Throws `EngineError.cancelled` on interrupt.
    public static func features(network: Network, images: [Image], layer: String, pooling: Pooling = .none,
                                progress: TechniqueProgress? = nil) throws -> FeatureMatrix {
        let probe = NetworkProbe(network: network, technique: "features")
        var values: [Float] = []
        var columns = 0
        try probe.activationBatches(images, layer: layer, progress: progress) { _, activation in
            let rows = try pooled(activation, pooling: pooling)
            columns = rows.columns
            values.append(contentsOf: rows.values)
        }
        return FeatureMatrix(layer: layer, rows: images.count, columns: columns, values: values)
    }

    /// One row per item of `activation` [n, ...]: flattened, or per-channel mean / max of a [n, C, H, W] grid.
    static func pooled(_ activation: Tensor, pooling: Pooling) throws -> (values: [Float], columns: Int) {
        let items = activation.shape[0]
        let columns = activation.count / Swift.max(1, items)
        guard pooling != .none else { return (activation.data, columns) }
        guard activation.rank == 4 else {
            throw EngineError.invalid("features: pooling \(pooling.rawValue) needs a [C, H, W] layer, this one gives \(Array(activation.shape.dropFirst()))")
        }
        let (channels, area) = (activation.shape[1], activation.shape[2] * activation.shape[3])
        var values = [Float](repeating: 0, count: items * channels)
        activation.data.withUnsafeBufferPointer { data in
            for row in 0..<(items * channels) {
                let plane = data[(row * area)..<((row + 1) * area)]
                values[row] = pooling == .mean ? Float(plane.reduce(0.0) { $0 + Double($1) } / Double(area)) : (plane.max() ?? 0)
            }
        }
        return (values, channels)
    }

    /// The `k` images closest to `query` by Euclidean distance of their features at `layer`
    /// (lecture 000, 1.9), nearest first; equal distances keep the images' order. Streams: each
    /// batch's features become distances at once, and a `TopKHeap` keeps the k nearest.
    public static func neighbors(network: Network, query: Image, images: [Image], layer: String, k: Int = 6,
                                 pooling: Pooling = .none, progress: TechniqueProgress? = nil) throws -> NeighborResult {
        guard k >= 1 else { throw EngineError.invalid("neighbors: k must be >= 1, got \(k)") }
        let probe = NetworkProbe(network: network, technique: "neighbors")
        let target = try features(network: network, images: [query], layer: layer, pooling: pooling)
        var distances = [Float](repeating: 0, count: images.count)
        var nearest = TopKHeap<(distance: Float, index: Int)>(capacity: k) { a, b in
            a.distance != b.distance ? a.distance < b.distance : a.index < b.index
        }
        try probe.activationBatches(images, layer: layer, progress: progress) { start, activation in
            let rows = try pooled(activation, pooling: pooling)
            guard rows.columns == target.columns else {
                throw EngineError.shapeMismatch("neighbors: image \(start) has \(rows.columns) features at '\(layer)', the query \(target.columns)")
            }
            for item in 0..<activation.shape[0] {
                var total = 0.0
                for column in 0..<rows.columns {
                    let difference = Double(rows.values[item * rows.columns + column]) - Double(target.values[column])
                    total += difference * difference
                }
                distances[start + item] = Float(total.squareRoot())
                nearest.offer((distances[start + item], start + item))
            }
        }
        let chosen = nearest.sorted().map(\.index)
        return NeighborResult(
            layer: layer, query: try network.deprocess(try probe.input(query)),
            indices: chosen, distances: chosen.map { distances[$0] },
            images: try chosen.map { try network.deprocess(try probe.input(images[$0])) },
            allDistances: distances)
    }
}
