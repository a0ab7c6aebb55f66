/// Filters of one convolution layer.
public struct FilterResult {
    public let layer: String
    public let mode: FilterVisualization.Mode
    /// Filters returned (at most the requested number) and the layer's total.
    public let filterCount: Int
    public let totalFilters: Int
    public let inputChannels: Int
    public let kernel: Int
    /// [filterCount, inputChannels, kernel, kernel]: the raw numbers. For the first layer they
    /// are d unit / d image pixel (RGB order, the weights times the preprocessing scale).
    public let weights: [Float]
    /// True when the weights are with respect to the image (first layer).
    public let imageSpace: Bool
    let maxInputChannels: Int

    /// One filter as [C, k, k] values.
    public func filter(_ index: Int) -> ArraySlice<Float> {
        let size = inputChannels * kernel * kernel
        return weights[(index * size)..<((index + 1) * size)]
    }

    /// RGB tiles (one per filter) or grey tiles (a row of C_in per filter). With `perFilter`
    /// each filter is tone-mapped on its own (how AlexNet's filters are usually shown).
    public func render(toneMap: ToneMap = .minMax, perFilter: Bool = true) -> Canvas {
        let plane = kernel * kernel
        let shownInputs = mode == .rgb ? inputChannels : Swift.min(inputChannels, maxInputChannels)
        let global = toneMap.apply(weights)
        var tiles: [Canvas] = []
        var labels: [String] = []
        for index in 0..<filterCount {
            let values = Array(filter(index))
            let mapped = perFilter ? toneMap.apply(values).values
                                   : Array(global.values[(index * values.count)..<((index + 1) * values.count)])
            if mode == .rgb {
                var hwc = [Float](repeating: 0, count: plane * inputChannels)
                for channel in 0..<inputChannels {
                    for position in 0..<plane { hwc[position * inputChannels + channel] = mapped[channel * plane + position] }
                }
                var tile = Canvas(width: kernel, height: kernel)
                tile.drawPicture(pixels: hwc, width: kernel, height: kernel, channels: inputChannels,
                                 x: 0, y: 0, targetWidth: kernel, targetHeight: kernel)
                tiles.append(tile)
                labels.append("\(index)")
            } else {
                for channel in 0..<shownInputs {
                    let slice = Array(mapped[(channel * plane)..<((channel + 1) * plane)])
                    tiles.append(Colormap.gray.render(slice, width: kernel, height: kernel) ?? Canvas(width: kernel, height: kernel))
                    labels.append(channel == 0 ? "\(index)" : "")
                }
            }
        }
        let range = perFilter ? "\(toneMap.rawValue) per filter" : global.caption
        let shape = "\(totalFilters) x \(inputChannels) x \(kernel) x \(kernel)"
        // One tile per filter (RGB, or a single input channel as on MNIST) fills a square grid;
        // several input channels make one row per filter so a filter's slices stay together.
        let oneTilePerFilter = mode == .rgb || shownInputs == 1
        let caption = oneTilePerFilter ? "tone: \(range)" : "rows: filters, columns: input channels 0..<\(shownInputs); tone: \(range)"
        return TileGrid(title: "\(layer) filters (\(shape))", tiles: tiles, labels: labels, caption: caption,
                        columns: oneTilePerFilter ? nil : shownInputs).render()
    }
}
