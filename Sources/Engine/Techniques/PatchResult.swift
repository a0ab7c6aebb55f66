/// One maximally activating patch: where the unit is, how strongly it fired, what it saw.
public struct Patch {
    /// Index into the images searched.
    public let imageIndex: Int
    /// The unit's row and column in the layer's grid.
    public let y: Int
    public let x: Int
    public let value: Float
    /// The receptive field in input pixels, clipped to the input: [x0, x1) x [y0, y1).
    public let x0: Int
    public let y0: Int
    public let x1: Int
    public let y1: Int
    /// Those pixels of the image as the network saw it.
    public let crop: Image
    /// The square of the image the network was shown (a random crop view), or nil for the
    /// whole image: the unit's receptive field is in that view's input pixels.
    public var view: (x0: Int, y0: Int, side: Int)? = nil
}

/// The top-k patches of one channel.
public struct PatchResult {
    public let layer: String
    public let channel: Int
    /// The layer's receptive field (a crop is this size unless clipped at the image border).
    public let receptiveField: Int
    /// Largest activation first.
    public let patches: [Patch]

    /// Activation values in order: the raw numbers.
    public var values: [Float] { patches.map(\.value) }

    /// A grid of crops, each labelled with its activation value.
    public func render(tileSize: Int = 64) -> Canvas {
        TileGrid(title: "top \(patches.count) patches: \(layer) channel \(channel)",
                 tiles: patches.map { Canvas(image: $0.crop) },
                 labels: patches.map { NumberLabel.format($0.value) },
                 caption: "receptive field \(receptiveField) px; label = activation",
                 tileSize: tileSize).renderSmooth()
    }
}
