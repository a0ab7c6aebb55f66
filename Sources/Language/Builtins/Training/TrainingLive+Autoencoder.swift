import Engine

/// The autoencoder's panel in `train`'s dashboard: originals over their reconstructions and the
/// codes of the first examples, coloured by class (ConvNetJS's autoencoder demo).
extension TrainingLive {
    /// Examples whose codes are plotted (the demo plots every digit it holds; 500 keep each
    /// report to a few milliseconds).
    static let plottedCodes = 500

    /// The panel, or nil unless the network reconstructs its input (`Autoencoder.reconstructs`)
    /// and the examples are images.
    func reconstruction() throws -> Canvas? {
        guard Autoencoder.reconstructs(network), data.sampleShape.count == 3, [1, 3].contains(data.sampleShape[0]),
              let code = Autoencoder.codeNode(of: network) else { return nil }
        let shown = min(ReconstructionPanel.shown, data.count)
        let size = data.sampleSize
        let x = try Tensor(shape: [shown] + network.inputShape, data: Array(data.inputs.prefix(shown * size)))
        let output = try network.predict(x).data
        guard output.count == shown * size else { return nil }
        let originals = (0..<shown).map { Array(data.inputs[($0 * size)..<(($0 + 1) * size)]) }
        let reconstructions = (0..<shown).map { Array(output[($0 * size)..<(($0 + 1) * size)]) }
        let plotted = min(TrainingLive.plottedCodes, data.count)
        let codes = try Autoencoder.activations(network, data: data, layer: code, limit: plotted)
        let units = codes.shape[1]
        // The first two units: the demo's code is two wide; a wider one shows its first plane.
        let points = (0..<plotted).flatMap { row in [codes.data[row * units], codes.data[row * units + min(1, units - 1)]] }
        let title = units == 2 ? "codes (\(code), 2 units)" : "codes (\(code), units 1-2 of \(units))"
        return ReconstructionPanel(channels: data.sampleShape[0], height: data.sampleShape[1], width: data.sampleShape[2],
                                   originals: originals, reconstructions: reconstructions, codes: points,
                                   labels: data.labels.map { Array($0.prefix(plotted)) } ?? [], classNames: data.classNames,
                                   codeTitle: title).render()
    }
}
