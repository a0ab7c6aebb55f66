/// ConvNetJS's "a network paints an image" demo (cs.stanford.edu/people/karpathy/convnetjs/
/// demo/image_regression.html): a network maps a pixel's position (x, y) to its colour
/// (r, g, b), is fitted to one photo by regression, and then painted by evaluating it at every
/// pixel, so the picture shows what the function has learned so far.
///
/// Followed from the demo: inputs x = (column − W/2) / W and y = (row − H/2) / H (so in
/// [−0.5, 0.5)), targets the colour in 0...1, seven fc 20 relu layers and a linear output of 3
/// trained with squared error, SGD with momentum 0.9, rate 0.01, batch 5, no weight decay.
/// The trainer here takes the mean over the 3 outputs, so its gradient is 2/3 of ConvNetJS's
/// per-output (y − t); the demo's rate still works.
public struct ImagePainting {
    public let width: Int, height: Int
    /// The photo at the painting's size, RGB HWC in 0...1.
    public let target: Image

    /// The demo's network: `layers` fc layers of `width` relu units.
    public static let demoLayers = 7, demoWidth = 20

    /// The photo resized so its longer side is `size` pixels (aspect kept; a grey photo is
    /// repeated into RGB). Throws `EngineError.invalid` for a size outside 4...512 or an image
    /// of other than 1 or 3 channels.
    public init(photo: Image, size: Int) throws {
        guard (4...512).contains(size) else { throw EngineError.invalid("paint: size must be 4 to 512 pixels, got \(size)") }
        guard photo.channels == 1 || photo.channels == 3 else {
            throw EngineError.invalid("paint: the photo has \(photo.channels) channels; it needs 1 (grey) or 3 (RGB)")
        }
        let scale = Double(size) / Double(max(photo.width, photo.height))
        let width = max(1, Int((Double(photo.width) * scale).rounded()))
        let height = max(1, Int((Double(photo.height) * scale).rounded()))
        var resized = try photo.resized(width: width, height: height)
        if resized.channels == 1 {
            resized = try Image(width: width, height: height, channels: 3, pixels: resized.pixels.flatMap { [$0, $0, $0] })
        }
        self.width = width
        self.height = height
        target = resized
    }

    /// The network input for pixel (column, row): the demo's centred, size-normalised position.
    public func position(column: Int, row: Int) -> (Float, Float) {
        (Float(column) / Float(width) - 0.5, Float(row) / Float(height) - 0.5)
    }

    /// One example per pixel, row by row: input [x, y], target [r, g, b].
    public func dataset() throws -> LabeledDataset {
        var inputs = [Float]()
        inputs.reserveCapacity(2 * width * height)
        for row in 0..<height {
            for column in 0..<width {
                let (x, y) = position(column: column, row: row)
                inputs.append(x)
                inputs.append(y)
            }
        }
        return try LabeledDataset(name: "painting \(width)x\(height)", sampleShape: [2], inputs: inputs,
                                  targets: .values(data: target.pixels, shape: [3]))
    }

    /// A new painter: `layers` fc layers of `width` relu units (He-initialised, as ConvNetSpec
    /// does before ReLU) and a linear output of 3, on [1, 1, 2] inputs; a regression network
    /// named "painter". Throws `EngineError.invalid` for layers outside 1...20 or width outside 1...512.
    public static func network(layers: Int = demoLayers, width: Int = demoWidth, random: inout SeededRandom) throws -> TrainableNetwork {
        guard (1...20).contains(layers), (1...512).contains(width) else {
            throw EngineError.invalid("paint: layers must be 1 to 20 and width 1 to 512, got \(layers) and \(width)")
        }
        let spec = try ConvNetSpec.mlp([2] + Array(repeating: width, count: layers) + [3], activation: .relu)
        return try TrainableNetwork(name: "painter", graph: try spec.graph(input: [1, 1, 2], random: &random),
                                    inputShape: [1, 1, 2], classNames: [])
    }

    /// The network's picture: its output at every pixel's position of a `width` x `height`
    /// grid (any size: the network is a function of position, so it can paint larger than it
    /// was fitted), clamped to 0...1, RGB. Throws when the network does not map 2 values to 3.
    public static func paint(_ network: TrainableNetwork, width: Int, height: Int) throws -> Image {
        let grid = try ImagePainting(blankWidth: width, height: height)
        let data = try grid.dataset()
        var pixels = [Float]()
        pixels.reserveCapacity(3 * width * height)
        for start in stride(from: 0, to: data.count, by: 1024) {
            let indices = Array(start..<min(data.count, start + 1024))
            let output = try network.predict(try Tensor(shape: [indices.count, 1, 1, 2], data: try data.batch(indices).data))
            guard output.count == 3 * indices.count else {
                throw EngineError.shapeMismatch("paint: \(network.name) gives \(output.count / indices.count) values per position, a painting needs 3 (r, g, b)")
            }
            pixels.append(contentsOf: output.data.map { min(max($0, 0), 1) })
        }
        return try Image(width: width, height: height, channels: 3, pixels: pixels)
    }

    /// The network's picture at this painting's size.
    public func paint(_ network: TrainableNetwork) throws -> Image {
        try ImagePainting.paint(network, width: width, height: height)
    }

    /// Mean squared error of `image` against the photo over every value (0...1 units).
    /// Throws `EngineError.shapeMismatch` for an image of another size.
    public func meanSquaredError(_ image: Image) throws -> Float {
        guard image.width == width, image.height == height, image.channels == 3 else {
            throw EngineError.shapeMismatch("paint: a \(image.width)x\(image.height)x\(image.channels) image against the \(width)x\(height) RGB photo")
        }
        var total: Double = 0
        for (a, b) in zip(image.pixels, target.pixels) { total += Double(a - b) * Double(a - b) }
        return Float(total / Double(target.pixels.count))
    }

    /// A grey canvas of the given size, for positions only.
    private init(blankWidth width: Int, height: Int) throws {
        guard (1...4096).contains(width), (1...4096).contains(height) else {
            throw EngineError.invalid("paint: a painting is 1 to 4096 pixels a side, got \(width)x\(height)")
        }
        self.width = width
        self.height = height
        target = try Image(width: width, height: height, channels: 3, value: 0.5)
    }
}
