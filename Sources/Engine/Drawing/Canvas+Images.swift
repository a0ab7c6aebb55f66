extension Canvas {
    /// Draws an HWC picture with 1 (grey) or 3 (RGB) channels into the rectangle at (x, y) of size
    /// targetWidth x targetHeight, resampling as asked. Values are clamped to 0...1. A picture whose
    /// buffer does not match its shape draws nothing.
    public mutating func drawPicture(pixels source: [Float], width sourceWidth: Int, height sourceHeight: Int,
                                     channels: Int, x: Int, y: Int, targetWidth: Int, targetHeight: Int,
                                     interpolation: Interpolation = .nearest, alpha: Float = 1) {
        guard sourceWidth > 0, sourceHeight > 0, channels == 1 || channels == 3,
              source.count == sourceWidth * sourceHeight * channels, targetWidth > 0, targetHeight > 0 else { return }
        func sample(_ sx: Int, _ sy: Int, _ channel: Int) -> Float {
            source[(sy * sourceWidth + sx) * channels + (channels == 1 ? 0 : channel)]
        }
        // The engine's one resampling rule (`Interpolation.taps`): nearest taps have weight 0.
        let columnTaps = interpolation.taps(source: sourceWidth, target: targetWidth)
        let rowTaps = interpolation.taps(source: sourceHeight, target: targetHeight)
        for row in max(0, -y)..<max(0, min(targetHeight, height - y)) {
            let rowTap = rowTaps[row]
            for column in max(0, -x)..<max(0, min(targetWidth, width - x)) {
                let columnTap = columnTaps[column]
                func resampled(_ channel: Int) -> Float {
                    let top = Interpolation.mix(sample(columnTap.first, rowTap.first, channel),
                                                sample(columnTap.second, rowTap.first, channel), columnTap.weight)
                    let bottom = Interpolation.mix(sample(columnTap.first, rowTap.second, channel),
                                                   sample(columnTap.second, rowTap.second, channel), columnTap.weight)
                    return Interpolation.mix(top, bottom, rowTap.weight)
                }
                let (red, green, blue) = (resampled(0), resampled(1), resampled(2))
                let color = RGBColor(red: min(max(red, 0), 1), green: min(max(green, 0), 1), blue: min(max(blue, 0), 1))
                if alpha >= 1 {
                    setPixel(x: x + column, y: y + row, color: color)
                } else {
                    blendPixel(x: x + column, y: y + row, color: color, alpha: alpha)
                }
            }
        }
    }

    /// Draws another canvas at (x, y), scaled to the target size when given.
    public mutating func drawCanvas(_ other: Canvas, x: Int, y: Int, targetWidth: Int? = nil, targetHeight: Int? = nil,
                                    interpolation: Interpolation = .nearest, alpha: Float = 1) {
        drawPicture(pixels: other.pixels, width: other.width, height: other.height, channels: 3, x: x, y: y,
                    targetWidth: targetWidth ?? other.width, targetHeight: targetHeight ?? other.height,
                    interpolation: interpolation, alpha: alpha)
    }

    /// Mixes a same-sized canvas over this one with per-pixel opacity `alpha` (one value per pixel)
    /// or a constant opacity when `alpha` has one element.
    public mutating func overlay(_ other: Canvas, alpha: [Float]) {
        guard other.width == width, other.height == height, alpha.count == 1 || alpha.count == width * height else { return }
        for index in 0..<(width * height) {
            let a = min(max(alpha.count == 1 ? alpha[0] : alpha[index], 0), 1)
            for channel in 0..<3 {
                pixels[index * 3 + channel] += (other.pixels[index * 3 + channel] - pixels[index * 3 + channel]) * a
            }
        }
    }
}
