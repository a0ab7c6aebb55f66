/// Resizing: area averaging when shrinking (every source pixel counts, so no aliasing) and
/// bilinear interpolation with pixel centres at half-integers when growing (as PyTorch's
/// `align_corners=False`). Each axis is treated on its own, so an image can shrink in one
/// direction and grow in the other.
extension Image {
    public func resized(width newWidth: Int, height newHeight: Int) throws -> Image {
        try Image.validate(width: newWidth, height: newHeight, channels: channels)
        if newWidth == width && newHeight == height { return self }
        let columns = Image.taps(from: width, to: newWidth)
        let rows = Image.taps(from: height, to: newHeight)
        // Horizontal pass: height x newWidth.
        var horizontal = [Float](repeating: 0, count: height * newWidth * channels)
        for y in 0..<height {
            for x in 0..<newWidth {
                for (source, weight) in columns[x] {
                    let from = (y * width + source) * channels, to = (y * newWidth + x) * channels
                    for channel in 0..<channels { horizontal[to + channel] += weight * pixels[from + channel] }
                }
            }
        }
        // Vertical pass: newHeight x newWidth.
        var result = [Float](repeating: 0, count: newHeight * newWidth * channels)
        for y in 0..<newHeight {
            for (source, weight) in rows[y] {
                let fromRow = source * newWidth * channels, toRow = y * newWidth * channels
                for index in 0..<(newWidth * channels) { result[toRow + index] += weight * horizontal[fromRow + index] }
            }
        }
        return Image(validWidth: newWidth, height: newHeight, channels: channels, pixels: result)
    }

    /// Scales so the shorter side becomes `side`, keeping the aspect ratio.
    public func resized(shorterSide side: Int) throws -> Image {
        let scale = Double(side) / Double(min(width, height))
        let newWidth = max(side, Int((Double(width) * scale).rounded()))
        let newHeight = max(side, Int((Double(height) * scale).rounded()))
        return try resized(width: width <= height ? side : newWidth, height: height < width ? side : newHeight)
    }

    /// For each output index, the source indices and weights (summing to 1) along one axis.
    static func taps(from input: Int, to output: Int) -> [[(Int, Float)]] {
        if output < input {
            let scale = Double(input) / Double(output)
            return (0..<output).map { index in
                let low = Double(index) * scale, high = Double(index + 1) * scale
                var taps: [(Int, Float)] = []
                var source = Int(low.rounded(.down))
                while Double(source) < high, source < input {
                    let overlap = min(high, Double(source + 1)) - max(low, Double(source))
                    if overlap > 1e-12 { taps.append((source, Float(overlap / scale))) }
                    source += 1
                }
                return taps
            }
        }
        return Interpolation.bilinear.taps(source: input, target: output).map { tap in
            tap.weight == 0 ? [(tap.first, Float(1))] : [(tap.first, 1 - tap.weight), (tap.second, tap.weight)]
        }
    }
}
