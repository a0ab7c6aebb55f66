import Engine

/// The state behind `train`'s live dashboard: the curves so far and the validation strip.
struct TrainingLive {
    let network: TrainableNetwork
    let validation: LabeledDataset?
    var loss: [(Int, Float)] = []
    var accuracy: [(Int, Float)] = []

    init(network: TrainableNetwork, validation: LabeledDataset?) {
        self.network = network
        self.validation = validation
    }

    /// The dashboard for `snapshot`, adding its points to the curves.
    mutating func picture(_ snapshot: TrainingSnapshot) throws -> Picture {
        loss.append((snapshot.examples, snapshot.smoothedLoss))
        if let value = snapshot.validationAccuracy { accuracy.append((snapshot.examples, value)) }
        let filters = network.graph.nodes.first { if case .convolution = $0.op { return true }; return false }?.parameters["weight"]
        let dashboard = TrainingDashboard(loss: loss, accuracy: accuracy, snapshot: snapshot, filters: filters, strip: try strip())
        return Picture(canvas: dashboard.render(), title: "training \(network.name)")
    }

    /// The first validation images (up to 12) with their top-3 predictions.
    private func strip() throws -> [(pixels: [Float], width: Int, height: Int, channels: Int, label: String, top: [(String, Float)])] {
        guard let validation, let labels = validation.labels, validation.sampleShape.count == 3,
              [1, 3].contains(validation.sampleShape[0]), !network.classNames.isEmpty else { return [] }
        let count = min(12, validation.count)
        let x = try Tensor(shape: [count] + network.inputShape, data: Array(validation.inputs.prefix(count * validation.sampleSize)))
        let probabilities = try network.predict(x).softmax(axis: 1)
        let classes = network.classNames
        return try (0..<count).map { index in
            let image = try validation.image(index)
            let row = Array(probabilities.data[(index * classes.count)..<((index + 1) * classes.count)])
            let top = row.indices.sorted { row[$0] > row[$1] }.prefix(3).map { (classes[$0], row[$0]) }
            return (image.pixels, image.width, image.height, image.channels, classes[labels[index]], top)
        }
    }
}
