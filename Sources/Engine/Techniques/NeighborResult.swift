/// A query image and its nearest neighbours in feature space.
public struct NeighborResult {
    public let layer: String
    /// The query as the network saw it.
    public let query: Image
    /// Indices into the searched images, nearest first.
    public let indices: [Int]
    public let distances: [Float]
    /// The neighbours as the network saw them, in the same order.
    public let images: [Image]
    /// Distance from the query to every searched image, in their order: the raw numbers.
    public let allDistances: [Float]

    /// Query first (framed), then the neighbours with their index and distance.
    public func render(tileSize: Int = 96) -> Canvas {
        let pictures = [Canvas(image: query)] + images.map { Canvas(image: $0) }
        let captions = ["query"] + zip(indices, distances).map { "#\($0) d=\(NumberLabel.format($1))" }
        return ImageStrip(title: "nearest neighbours at \(layer) (Euclidean)", rows: [pictures],
                          captions: [captions], tileSize: tileSize).render()
    }
}
