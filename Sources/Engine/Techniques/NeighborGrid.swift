/// Several queries and their nearest neighbours, one row each: the lecture's figure of
/// nearest neighbours in a network's last-layer feature space (Krizhevsky et al. 2012, figure
/// 4; lecture 003 "Last layer: nearest neighbours"), with every query left out of its own
/// search so that its first neighbour is never itself.
public struct NeighborGrid {
    public let layer: String
    /// The queries as the network saw them.
    public let queries: [Image]
    /// Per query: indices into the searched images, nearest first.
    public let indices: [[Int]]
    public let distances: [[Float]]
    /// Per query: the neighbours as the network saw them.
    public let images: [[Image]]
    /// queries x images, row-major: the distance from each query to every searched image, NaN
    /// where the image is the query itself (left out).
    public let allDistances: [Float]

    /// One row per query: the query (framed), then its neighbours with index and distance.
    public func render(tileSize: Int = 96) -> Canvas {
        let rows = zip(queries, images).map { query, found in [Canvas(image: query)] + found.map { Canvas(image: $0) } }
        let captions = zip(indices, distances).map { chosen, near in
            ["query"] + zip(chosen, near).map { "#\($0) d=\(NumberLabel.format($1))" }
        }
        return ImageStrip(title: "nearest neighbours at \(layer) (Euclidean, query left out)", rows: rows,
                          captions: captions, tileSize: tileSize).render()
    }
}

extension FeatureExtraction {
    /// The `k` nearest images to each of `queries` by Euclidean distance of their features at
    /// `layer`. A query that is one of `images` (the same pixels) is left out of its own search.
    /// The searched images go through the network once for all queries.
    public static func neighborGrid(network: Network, queries: [Image], images: [Image], layer: String, k: Int = 6,
                                    pooling: Pooling = .none, progress: TechniqueProgress? = nil) throws -> NeighborGrid {
        guard k >= 1 else { throw EngineError.invalid("neighbors: k must be >= 1, got \(k)") }
        guard !queries.isEmpty, !images.isEmpty else { throw EngineError.invalid("neighbors: no queries or no images to search") }
        let searched = try features(network: network, images: images, layer: layer, pooling: pooling, progress: progress)
        let asked = try features(network: network, images: queries, layer: layer, pooling: pooling)
        guard asked.columns == searched.columns else {
            throw EngineError.shapeMismatch("neighbors: the queries have \(asked.columns) features at '\(layer)', the images \(searched.columns)")
        }
        let probe = NetworkProbe(network: network, technique: "neighbors")
        let columns = searched.columns
        var all = [Float](repeating: .nan, count: queries.count * images.count)
        var indices: [[Int]] = [], distances: [[Float]] = [], shown: [[Image]] = []
        for (row, query) in queries.enumerated() {
            var nearest = TopKHeap<(distance: Float, index: Int)>(capacity: k) { a, b in
                a.distance != b.distance ? a.distance < b.distance : a.index < b.index
            }
            for index in images.indices where images[index] != query {
                var total = 0.0
                for column in 0..<columns {
                    let difference = Double(searched.values[index * columns + column]) - Double(asked.values[row * columns + column])
                    total += difference * difference
                }
                let distance = Float(total.squareRoot())
                all[row * images.count + index] = distance
                nearest.offer((distance, index))
            }
            let chosen = nearest.sorted()
            indices.append(chosen.map(\.index))
            distances.append(chosen.map(\.distance))
            shown.append(try chosen.map { try network.deprocess(try probe.input(images[$0.index])) })
        }
        return NeighborGrid(layer: layer, queries: try queries.map { try network.deprocess(try probe.input($0)) },
                            indices: indices, distances: distances, images: shown, allDistances: all)
    }
}
