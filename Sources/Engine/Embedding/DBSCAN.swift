/// Density-based clustering (Ester et al. 1996), the clustering lecture 004 recommends for t-SNE
/// maps because their clusters are not sphere-like.
///
/// A point is a core point when at least `minPoints` points (itself included, as in scikit-learn)
/// lie within `eps`. Clusters grow from core points through their neighbourhoods; points reached
/// by no cluster are noise.
public enum DBSCAN {
    /// The label of points that belong to no cluster.
    public static let noise = -1
    /// The neighbourhood radius: a positive distance (the 32-bit float coordinates bound it).
    public static let epsRange = NumberRange.above(0)
    /// Points (the point itself included) a core point needs within eps.
    public static let minPointsRange = NumberRange.atLeast(1)

    /// Cluster labels 0, 1, ... in order of discovery (scanning rows in order), or -1 for noise.
    public static func cluster(_ points: [Float], rows: Int, columns: Int,
                               eps: Float, minPoints: Int) throws -> [Int] {
        try EmbeddingInput.validate(points, rows: rows, columns: columns, method: "dbscan")
        guard epsRange.contains(eps) else {
            throw EmbeddingError.invalidParameter(method: "dbscan", name: "eps", value: "\(eps)",
                                                  expected: epsRange.description)
        }
        guard minPointsRange.contains(minPoints) else {
            throw EmbeddingError.invalidParameter(method: "dbscan", name: "min_points", value: "\(minPoints)",
                                                  expected: minPointsRange.description)
        }
        let neighbourhoods = try neighbours(points, rows: rows, columns: columns, radius: eps)
        let unvisited = -2
        var labels = [Int](repeating: unvisited, count: rows)
        var nextCluster = 0
        for start in 0..<rows where labels[start] == unvisited {
            guard neighbourhoods[start].count >= minPoints else {
                labels[start] = noise   // may later be claimed as a border point
                continue
            }
            let cluster = nextCluster
            nextCluster += 1
            labels[start] = cluster
            var frontier = neighbourhoods[start]
            var cursor = 0
            while cursor < frontier.count {
                let point = frontier[cursor]
                cursor += 1
                if labels[point] == noise { labels[point] = cluster }   // border point
                guard labels[point] == unvisited else { continue }
                labels[point] = cluster
                if neighbourhoods[point].count >= minPoints { frontier.append(contentsOf: neighbourhoods[point]) }
            }
        }
        return labels
    }

    /// For each point, the indices of all points (itself included) within `radius`.
    static func neighbours(_ points: [Float], rows: Int, columns: Int, radius: Float) throws -> [[Int]] {
        let radiusSquared = radius * radius
        var result = [[Int]](repeating: [], count: rows)
        try points.withUnsafeBufferPointer { p in
            for i in 0..<rows {
                try Cancellation.check()
                for j in 0..<rows {
                    var distance: Float = 0
                    for c in 0..<columns {
                        let delta = p[i * columns + c] - p[j * columns + c]
                        distance += delta * delta
                    }
                    if distance <= radiusSquared { result[i].append(j) }
                }
            }
        }
        return result
    }
}
