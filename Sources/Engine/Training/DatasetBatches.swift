/// How a dataset's examples enter a network: the one rule `evaluate`, `predictions` and anything
/// else that runs a network over a `LabeledDataset` follow.
///
/// - Examples that are not images ([features], such as toy2d's points) go in as they are.
/// - Image examples go in as they are when they already have the network's input shape
///   [C, height, width] and its input convention is the identity (scale 1, mean 0, std 1, as for
///   networks built by `convnet()` and the built-in LeNet on MNIST): no copy through `Image`.
/// - Otherwise each example goes through `network.preprocess(image)` (resize, centre crop, channel
///   order, normalisation), so the ImageNet sample runs on SqueezeNet at 224x224 with its mean/std.
public enum DatasetBatches {
    /// Input values per batch at most (2 M floats: 13 ImageNet photos, or 100 MNIST digits
    /// under the default batch size), which bounds the activations a batch holds.
    public static let inputBudget = 2_000_000

    /// True when `dataset`'s examples can be fed to `network` unchanged.
    public static func feedsRaw(_ network: Network, _ dataset: LabeledDataset) -> Bool {
        guard dataset.sampleShape.count == 3 else { return true }
        guard let convention = try? network.inputConvention else { return false }
        let identity = convention.scale == 1 && convention.mean.allSatisfy { $0 == 0 } && convention.std.allSatisfy { $0 == 1 }
        return identity && dataset.sampleShape == [convention.channels, convention.height, convention.width]
    }

    /// Examples `indices` as the network's input batch [n, ...]. Throws `EngineError.invalid` for
    /// an index out of range, and the preprocessing errors naming the example.
    public static func input(_ network: Network, _ dataset: LabeledDataset, _ indices: [Int]) throws -> Tensor {
        if feedsRaw(network, dataset) {
            let batch = try dataset.batch(indices)
            // Points on an mlp, whose input is [1, 1, F] (`TrainableNetwork`): the view training gives them.
            if dataset.sampleShape.count == 1, let convention = try? network.inputConvention, convention.channels == 1,
               convention.height == 1, convention.width == dataset.sampleShape[0] {
                return try batch.reshape([indices.count, 1, 1, dataset.sampleShape[0]])
            }
            return batch
        }
        var data: [Float] = []
        var shape: [Int] = []
        for index in indices {
            let tensor: Tensor
            do {
                tensor = try network.preprocess(try dataset.image(index))
            } catch let error as EngineError {
                throw EngineError.invalid("\(dataset.name) example \(index) cannot be prepared for \(network.name): \(error.description)")
            }
            if shape.isEmpty { shape = Array(tensor.shape.dropFirst()) }
            data.append(contentsOf: tensor.data)
        }
        return try Tensor(shape: [indices.count] + shape, data: data)
    }

    /// The network's output for examples `indices` in batches of `batchSize` as one row per example
    /// (row-major, `classes` values each), checking `Cancellation` per batch and calling
    /// `progress(done, total)` after each. Throws `EngineError.shapeMismatch` when an output row
    /// does not have `classes` values.
    public static func outputs(_ network: Network, _ dataset: LabeledDataset, _ indices: [Int], classes: Int,
                               batchSize: Int = 100, progress: (Int, Int) -> Void = { _, _ in }) throws -> [Float] {
        guard !indices.isEmpty else { return [] }
        var rows: [Float] = []
        rows.reserveCapacity(indices.count * classes)
        var start = 0
        // Large inputs (224x224 photos) get smaller batches: activations grow with the input.
        let perExample = max(1, (try? input(network, dataset, [indices.first ?? 0]).count) ?? 1)
        let size = max(1, min(batchSize, inputBudget / perExample))
        while start < indices.count {
            try Cancellation.check()
            let chunk = Array(indices[start..<min(start + size, indices.count)])
            let output = try network.forward(try input(network, dataset, chunk), capture: [], until: nil).output
            guard output.count == chunk.count * classes else {
                throw EngineError.shapeMismatch("\(network.name) gives output \(output.shape) for \(chunk.count) examples, not \(classes) class scores each")
            }
            rows.append(contentsOf: output.data)
            start += chunk.count
            progress(start, indices.count)
        }
        return rows
    }
}
