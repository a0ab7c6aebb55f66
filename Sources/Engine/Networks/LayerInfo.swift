/// What a network says about one of its layers: enough to pick it by name, to know its
/// output size, and to map one of its units back to the input patch it sees.
///
/// Receptive field (`receptiveField`), `jump` (the distance in input pixels between adjacent
/// units, the product of strides so far) and `start` (the input coordinate of the centre of
/// unit 0's field; negative when padding reaches outside the image) follow the standard
/// recurrences: jump' = jump * s, rf' = rf + (k - 1) * jump, start' = start + ((k - 1) / 2 - p) * jump.
/// Unit i of the layer is centred at start + i * jump in the (preprocessed) input.
public struct LayerInfo: Equatable, Sendable {
    public let name: String
    /// A short kind such as "conv 3x3/2", "maxpool 3/2", "fire", "mbconv", "linear".
    public let kind: String
    /// Output shape without the batch: [C, H, W] for spatial layers, [K] for vectors.
    public let outputShape: [Int]
    public let receptiveField: Int
    public let jump: Int
    public let start: Double
    /// Learned parameters in this layer (after folding batch norm, as loaded).
    public let parameterCount: Int

    public init(name: String, kind: String, outputShape: [Int], receptiveField: Int, jump: Int,
                start: Double, parameterCount: Int) {
        self.name = name
        self.kind = kind
        self.outputShape = outputShape
        self.receptiveField = receptiveField
        self.jump = jump
        self.start = start
        self.parameterCount = parameterCount
    }

    /// The input-pixel box (x0, y0, x1, y1; exclusive ends, clipped to the input) seen by the
    /// unit at (x, y).
    public func receptiveBox(x: Int, y: Int, inputWidth: Int, inputHeight: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int) {
        let half = Double(receptiveField - 1) / 2
        func span(_ index: Int, _ limit: Int) -> (Int, Int) {
            let centre = start + Double(index * jump)
            let low = Int((centre - half).rounded(.down)), high = Int((centre + half).rounded(.down)) + 1
            return (max(0, min(limit, low)), max(0, min(limit, high)))
        }
        let (x0, x1) = span(x, inputWidth), (y0, y1) = span(y, inputHeight)
        return (x0, y0, x1, y1)
    }
}
