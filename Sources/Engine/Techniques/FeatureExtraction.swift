/// Features of images at a layer, and the images nearest to a query in that feature space.
public enum FeatureExtraction {
    /// n x d matrix: row i is image i's activation at `layer`, flattened.
    public static func features(network: Network, images: [Image], layer: String,
                                progress: TechniqueProgress? = nil) throws -> FeatureMatrix {
        let probe = NetworkProbe(network: network, technique: "features")
        var values: [Float] = []
        var columns = 0
        try probe.activationBatches(images, layer: layer, progress: progress) { _, activation in
            columns = activation.count / activation.shape[0]
            values.append(contentsOf: activation.data)
        }
        return FeatureMatrix(layer: layer, rows: images.count, columns: columns, values: values)
    }

    /// The `k` images closest to `query` by Euclidean distance of their features at `layer`
    /// (lecture 000, 1.9), nearest first.
    public static func neighbors(network: Network, query: Image, images: [Image], layer: String, k: Int = 6,
                                 progress: TechniqueProgress? = nil) throws -> NeighborResult {
        guard k >= 1 else { throw EngineError.invalid("neighbors: k must be >= 1, got \(k)") }
        let matrix = try features(network: network, images: [query] + images, layer: layer, progress: progress)
        let distances = (1..<matrix.rows).map { matrix.distance(0, $0) }
        // Stable order: equal distances keep the images' order.
        let order = distances.indices.sorted { (distances[$0], $0) < (distances[$1], $1) }
        let chosen = Array(order.prefix(k))
        let probe = NetworkProbe(network: network, technique: "neighbors")
        return NeighborResult(
            layer: layer, query: try network.deprocess(try probe.input(query)),
            indices: chosen, distances: chosen.map { distances[$0] },
            images: try chosen.map { try network.deprocess(try probe.input(images[$0])) },
            allDistances: distances)
    }
}
