/// Running many images through a network for their activations at one layer.
extension NetworkProbe {
    /// Preprocesses `images`, runs them to `layer` `batchSize` at a time (no gradients) and hands
    /// each batch's activation [n, ...] with the index of its first image to `consume`; `progress`
    /// counts images (done, total), so thousands of images show a count a reader can follow.
    func activationBatches(_ images: [Image], layer: String, batchSize: Int = 8, progress: TechniqueProgress?,
                           consume: (Int, Tensor) throws -> Void) throws {
        _ = try self.layer(layer)
        guard !images.isEmpty else { throw EngineError.invalid("\(technique): no images given") }
        let batchSize = Swift.max(1, batchSize)
        let batches = (images.count + batchSize - 1) / batchSize
        for batchIndex in 0..<batches {
            try Cancellation.check()
            let start = batchIndex * batchSize
            let items = try images[start..<Swift.min(start + batchSize, images.count)].map { try input($0) }
            let batch = items.count == 1 ? items[0] : try Tensor.concat(items, axis: 0)
            let (output, activations) = try network.forward(batch, capture: [layer], until: layer)
            let activation = activations[layer] ?? output
            guard activation.shape.first == items.count else {
                throw EngineError.shapeMismatch("\(technique): layer '\(layer)' gave \(activation.shape) for a batch of \(items.count)")
            }
            try consume(start, activation)
            progress?(start + items.count, images.count)
        }
    }
}
