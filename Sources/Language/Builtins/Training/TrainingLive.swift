import Engine

/// The state behind `train`'s live dashboard: the curves so far and the validation strip, or
/// for a classifier of 2-D points (an mlp on toy2d) TensorFlow Playground's decision regions
/// with the training points and each hidden neuron's map, or for a 1-D regression (an mlp on
/// toy1d) the points with the network's fitted curve.
struct TrainingLive {
    let network: TrainableNetwork
    let data: LabeledDataset
    let validation: LabeledDataset?
    var loss: [(Int, Float)] = []
    var accuracy: [(Int, Float)] = []
    /// The plane's half-width, fixed for the run so the picture does not jump.
    let extent: Float
    /// The rate the run started with; the title names the rate once a control changes it.
    let initialRate: Float?

    /// Points drawn on the decision regions (the first ones of the training set).
    static let shownPoints = 600
    /// Grid cells per side of the decision regions.
    static let planeResolution = 64

    init(network: TrainableNetwork, data: LabeledDataset, validation: LabeledDataset?, initialRate: Float? = nil) {
        self.network = network
        self.data = data
        self.validation = validation
        self.initialRate = initialRate
        extent = DecisionPlane.extent(of: data)
    }

    /// The decision-regions panel, or nil when the network or the data are not 2-D points with classes.
    func plane() throws -> Canvas? {
        guard DecisionPlane.applies(to: network), data.sampleShape == [2], let labels = data.labels else { return nil }
        let plane = try DecisionPlane.compute(network, extent: extent, resolution: TrainingLive.planeResolution)
        let shown = min(data.count, TrainingLive.shownPoints)
        return DecisionPlanePlot(plane: plane, points: Array(data.inputs.prefix(2 * shown)), labels: Array(labels.prefix(shown))).render()
    }

    /// The dashboard for `snapshot`, adding its points to the curves.
    mutating func picture(_ snapshot: TrainingSnapshot) throws -> Picture {
        loss.append((snapshot.examples, snapshot.smoothedLoss))
        if let value = snapshot.validationAccuracy { accuracy.append((snapshot.examples, value)) }
        return try render(snapshot)
    }

    /// The final dashboard, its loss curve drawn from the run's history when that has more
    /// points than the live reports (a run shorter than a few report intervals would otherwise
    /// show a curve of one or two points); nil when the live curve is already as fine.
    mutating func finished(_ result: TrainingResult) throws -> Picture? {
        guard result.history.count > loss.count else { return nil }
        loss = result.history.map { ($0.examples, $0.smoothedLoss) }
        return try render(result.last)
    }

    private func render(_ snapshot: TrainingSnapshot) throws -> Picture {
        let filters = network.graph.nodes.first { if case .convolution = $0.op { return true }; return false }?.parameters["weight"]
        var dashboard = TrainingDashboard(loss: loss, accuracy: accuracy, snapshot: snapshot, filters: filters, strip: [])
        dashboard.hasValidation = validation != nil
        if let panel = try plane() ?? fit() ?? reconstruction() { dashboard.panel = panel } else { dashboard.strip = try strip() }
        let rate = initialRate.flatMap { $0 == snapshot.rate ? nil : ", rate \(NumberFormatting.format(Double(snapshot.rate)))" } ?? ""
        return Picture(canvas: dashboard.render(), title: "training \(network.name)\(rate)")
    }

    /// ConvNetJS's 1-D regression panel (the points and the network's curve), or nil unless the
    /// network maps one number to one value and the data are (x, y) points.
    func fit() throws -> Canvas? {
        guard network.inputShape == [1, 1, 1], network.classNames.isEmpty, data.sampleShape == [1],
              case .values(let ys, let shape) = data.targets, shape == [1] else { return nil }
        let finite = data.inputs.filter(\.isFinite)
        let low = finite.min() ?? -1, high = finite.max() ?? 1
        let steps = 200
        let grid = (0..<steps).map { low + (high - low) * Float($0) / Float(steps - 1) }
        let predictions = try network.predict(try Tensor(shape: [steps, 1, 1, 1], data: grid)).data
        guard predictions.count == steps else { return nil }
        let shown = min(data.count, TrainingLive.shownPoints)
        return RegressionFitPlot(xs: Array(data.inputs.prefix(shown)), ys: Array(ys.prefix(shown)),
                                 curve: Array(zip(grid, predictions))).render()
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
