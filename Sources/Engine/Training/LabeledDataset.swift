/// What a dataset's examples should be mapped to: a class per example (classification,
/// trained with softmax cross-entropy) or a vector per example (regression, autoencoders,
/// "a network paints an image"; trained with mean squared error).
public enum DatasetTargets: Sendable, Equatable {
    /// One class index per example, each in `0..<names.count`.
    case classes(labels: [Int], names: [String])
    /// `count * shape.product` values, row-major: example i's target is the i-th block.
    case values(data: [Float], shape: [Int])
}

/// A set of examples held in memory as one flat array: the value `dataset()`, `toy2d()` and
/// friends return, and what `train`, `evaluate` and `predictions` read.
///
/// Examples are stored contiguously (`count * sampleShape.product` floats, row-major) so a
/// batch is a copy of rows, not a gather of separate images: 60,000 MNIST digits are 188 MB
/// this way and would be several times that as individual images.
public struct LabeledDataset: Sendable {
    /// Shown in summaries and errors ("mnist train").
    public let name: String
    /// One example's shape: [channels, height, width] for images, [features] for points.
    public let sampleShape: [Int]
    /// All examples, `count * sampleShape.product` values. Images are in 0...1.
    public let inputs: [Float]
    public let targets: DatasetTargets
    public let count: Int

    /// Throws `EngineError.invalid` when the arrays do not agree with `sampleShape` and the
    /// targets (naming the dataset), or a label is outside the class list.
    public init(name: String, sampleShape: [Int], inputs: [Float], targets: DatasetTargets) throws {
        guard !sampleShape.isEmpty, sampleShape.allSatisfy({ $0 > 0 }) else {
            throw EngineError.invalid("\(name): example shape \(sampleShape) must be non-empty and positive")
        }
        let size = sampleShape.reduce(1, *)
        guard inputs.count % size == 0 else {
            throw EngineError.invalid("\(name): \(inputs.count) values are not a whole number of \(sampleShape) examples")
        }
        let count = inputs.count / size
        switch targets {
        case .classes(let labels, let names):
            guard labels.count == count else {
                throw EngineError.invalid("\(name): \(count) examples but \(labels.count) labels")
            }
            if let bad = labels.first(where: { !(0..<names.count).contains($0) }) {
                throw EngineError.invalid("\(name): label \(bad) is outside the \(names.count) classes")
            }
        case .values(let data, let shape):
            let targetSize = shape.reduce(1, *)
            guard !shape.isEmpty, targetSize > 0, data.count == count * targetSize else {
                throw EngineError.invalid("\(name): \(data.count) target values do not fit \(count) targets of shape \(shape)")
            }
        }
        self.name = name
        self.sampleShape = sampleShape
        self.inputs = inputs
        self.targets = targets
        self.count = count
    }

    /// Values per example.
    public var sampleSize: Int { sampleShape.reduce(1, *) }

    /// The class labels, or nil for a regression set.
    public var labels: [Int]? {
        if case .classes(let labels, _) = targets { return labels }
        return nil
    }

    /// The class names (empty for a regression set).
    public var classNames: [String] {
        if case .classes(_, let names) = targets { return names }
        return []
    }

    /// Examples `indices` as one [n] + sampleShape tensor, in that order.
    /// Throws `EngineError.invalid` for an index outside `0..<count` or an empty list.
    public func batch(_ indices: [Int]) throws -> Tensor {
        try Tensor(shape: [indices.count] + sampleShape, data: try gather(inputs, size: sampleSize, indices))
    }

    /// Targets of `indices` as a [n] + targetShape tensor (regression sets only).
    public func targetBatch(_ indices: [Int]) throws -> Tensor {
        guard case .values(let data, let shape) = targets else {
            throw EngineError.invalid("\(name) has class labels, not target values")
        }
        return try Tensor(shape: [indices.count] + shape, data: try gather(data, size: shape.reduce(1, *), indices))
    }

    /// The examples `indices` as a new dataset (their order kept), named `name`.
    public func subset(_ indices: [Int], name: String? = nil) throws -> LabeledDataset {
        let newTargets: DatasetTargets
        switch targets {
        case .classes(let labels, let names): newTargets = .classes(labels: indices.map { labels[$0] }, names: names)
        case .values(let data, let shape):
            newTargets = .values(data: try gather(data, size: shape.reduce(1, *), indices), shape: shape)
        }
        return try LabeledDataset(name: name ?? self.name, sampleShape: sampleShape,
                                  inputs: try gather(inputs, size: sampleSize, indices), targets: newTargets)
    }

    /// Example `index` as an image when examples are [1 or 3, height, width].
    public func image(_ index: Int) throws -> Image {
        guard sampleShape.count == 3, sampleShape[0] == 1 || sampleShape[0] == 3 else {
            throw EngineError.invalid("\(name): examples of shape \(sampleShape) are not images")
        }
        let planar = try gather(inputs, size: sampleSize, [index])
        let (channels, height, width) = (sampleShape[0], sampleShape[1], sampleShape[2])
        // Images are stored interleaved (pixel by pixel), tensors planar (channel by channel).
        var pixels = [Float](repeating: 0, count: planar.count)
        for c in 0..<channels {
            for p in 0..<(height * width) { pixels[p * channels + c] = planar[c * height * width + p] }
        }
        return try Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    private func gather(_ source: [Float], size: Int, _ indices: [Int]) throws -> [Float] {
        guard !indices.isEmpty else { throw EngineError.invalid("\(name): no examples selected") }
        var out = [Float]()
        out.reserveCapacity(indices.count * size)
        for index in indices {
            guard index >= 0, index < count else {
                throw EngineError.invalid("\(name) has \(count) examples; \(index) is out of range")
            }
            out.append(contentsOf: source[(index * size)..<((index + 1) * size)])
        }
        return out
    }
}

extension MNISTDataset {
    /// The digits as a classification set of [1, 28, 28] examples labelled "0" ... "9".
    public func labeled(name: String) throws -> LabeledDataset {
        try LabeledDataset(name: name, sampleShape: [1, 28, 28], inputs: pixels,
                           targets: .classes(labels: labels, names: (0...9).map(String.init)))
    }
}
