/// One feature vector per image, read at one layer (lecture 000, 1.8 and 1.9: "activations can
/// be seen as features"): the input of PCA, t-SNE and nearest-neighbour search.
public struct FeatureMatrix: Equatable, Sendable {
    public let layer: String
    /// Number of images.
    public let rows: Int
    /// Values per image (the layer's C * H * W).
    public let columns: Int
    /// Row-major rows x columns.
    public let values: [Float]

    public subscript(row: Int) -> ArraySlice<Float> { values[(row * columns)..<((row + 1) * columns)] }

    /// Euclidean distance between two rows, accumulated in Double.
    func distance(_ a: Int, _ b: Int) -> Float {
        var total = 0.0
        for index in 0..<columns {
            let difference = Double(values[a * columns + index]) - Double(values[b * columns + index])
            total += difference * difference
        }
        return Float(total.squareRoot())
    }
}
