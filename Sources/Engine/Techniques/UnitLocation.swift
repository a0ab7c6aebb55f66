/// One unit of a convolutional layer: a channel at a spatial position, with its activation.
public struct UnitLocation: Equatable, Sendable {
    public let layer: String
    public let channel: Int
    /// Row and column in the layer's own grid.
    public let y: Int
    public let x: Int
    public let value: Float
}
