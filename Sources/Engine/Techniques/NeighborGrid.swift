/// Nearest neighbours of several queries drawn from the searched set itself, each query left out
/// of its own search: lecture 000, 1.9's figure (Krizhevsky et al. 2012, figure 4: "five ImageNet
/// query images in the first column, the remaining columns show six training images" nearest in
/// the last hidden layer). The features are computed once for the whole set.
public struct NeighborGrid {
    public let layer: String
    /// Indices of the queries into the searched images.
    public let queries: [Int]
    /// For each query, the indices of its k nearest other images, nearest first.
    public let neighbors: [[Int]]
    /// For each query, the Euclidean distances to those neighbours.
    public let distances: [[Float]]
    /// For each query, the distance to every searched image (its own entry 0): [queries x images].
    public let allDistances: [[Float]]
    /// Every searched image as the network saw it (resized and cropped to its input).
    let seen: [Image]

    /// Computes the features of `images` at `layer` once (flattened or pooled per channel) and,
    /// for each of `queries`, the `k` nearest other images by Euclidean distance (ties: lower
    /// index first). Throws `EngineError.invalid` for a query outside the images or k < 1.
    public static func compute(network: Network, images: [Image], queries: [Int], layer: String, k: Int,
                               pooling: FeatureExtraction.Pooling, progress: TechniqueProgress? = nil) throws -> NeighborGrid {
        guard k >= 1 else { throw EngineError.invalid("neighbors: k must be >= 1, got \(k)") }
        guard !queries.isEmpty else { throw EngineError.invalid("neighbors: no queries given") }
        if let bad = queries.first(where: { !images.indices.contains($0) }) {
            throw EngineError.invalid("neighbors: query \(bad) is outside the \(images.count) images (0 to \(images.count - 1))")
        }
        let features = try FeatureExtraction.features(network: network, images: images, layer: layer, pooling: pooling,
                                                      progress: progress)
        let columns = features.columns
        var all: [[Float]] = [], chosen: [[Int]] = [], nearest: [[Float]] = []
        for query in queries {
            var distances = [Float](repeating: 0, count: images.count)
            var heap = TopKHeap<(distance: Float, index: Int)>(capacity: k) { a, b in
                a.distance != b.distance ? a.distance < b.distance : a.index < b.index
            }
            for other in images.indices {
                var total = 0.0
                for column in 0..<columns {
                    let difference = Double(features.values[other * columns + column]) - Double(features.values[query * columns + column])
                    total += difference * difference
                }
                distances[other] = Float(total.squareRoot())
                // The query itself is left out: its own nearest neighbour would be itself at 0.
                if other != query { heap.offer((distances[other], other)) }
            }
            let order = heap.sorted()
            all.append(distances)
            chosen.append(order.map(\.index))
            nearest.append(order.map(\.distance))
        }
        let probe = NetworkProbe(network: network, technique: "neighbors")
        let used = Set(queries).union(chosen.flatMap { $0 })
        var seen = images
        for index in used { seen[index] = try network.deprocess(try probe.input(images[index])) }
        return NeighborGrid(layer: layer, queries: queries, neighbors: chosen, distances: nearest, allDistances: all, seen: seen)
    }

    /// One row per query: the query (framed), then its neighbours with their index and distance,
    /// each captioned with the image's own caption when `names` gives one.
    public func render(names: [String] = [], tileSize: Int = 96) -> Canvas {
        func name(_ index: Int) -> String {
            index < names.count && !names[index].isEmpty ? String(names[index].prefix(14)) : "#\(index)"
        }
        let rows = zip(queries, neighbors).map { query, found in [Canvas(image: seen[query])] + found.map { Canvas(image: seen[$0]) } }
        let captions = zip(zip(queries, neighbors), distances).map { pair, distances in
            ["query: " + name(pair.0)] + zip(pair.1, distances).map { "\(name($0)) \(NumberLabel.format($1))" }
        }
        return ImageStrip(title: "nearest neighbours at \(layer), each query left out (Euclidean)", rows: rows,
                          captions: captions, tileSize: tileSize).render()
    }
}
