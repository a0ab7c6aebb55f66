/// Chosen channels of one layer's activation for one image.
public struct ActivationResult {
    public let layer: String
    public let channels: [Int]
    /// One map per chosen channel, at the layer's resolution: the raw numbers.
    public let maps: [ScalarMap]
    /// Channels the layer has in all.
    public let channelCount: Int

    /// A labelled grid of grey maps. With `sharedRange` one tone mapping covers all maps, so
    /// their brightness can be compared; otherwise each map uses its own range.
    public func render(toneMap: ToneMap = .minMax, sharedRange: Bool = true) -> Canvas {
        var tiles: [Canvas] = []
        var caption: String
        if sharedRange {
            let mapped = toneMap.apply(maps.flatMap(\.values))
            var offset = 0
            for map in maps {
                let values = Array(mapped.values[offset..<(offset + map.values.count)])
                offset += map.values.count
                tiles.append(Colormap.gray.render(values, width: map.width, height: map.height) ?? Canvas(width: 1, height: 1))
            }
            caption = "tone: \(mapped.caption), shared by all maps"
        } else {
            for map in maps {
                tiles.append(Colormap.gray.render(toneMap.apply(map.values).values, width: map.width, height: map.height)
                             ?? Canvas(width: 1, height: 1))
            }
            caption = "tone: \(toneMap.rawValue), each map its own range"
        }
        let size = maps.first.map { "\($0.height) x \($0.width)" } ?? ""
        return TileGrid(title: "\(layer): \(channels.count) of \(channelCount) channels, \(size)", tiles: tiles,
                        labels: channels.map { "\($0)" }, caption: caption).render()
    }
}
