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
        // Resampled straight to device pixels, so a picture shown at 2x keeps every source pixel
        // as a crisp block (nearest) or a smooth ramp (bilinear), never blurred twice.
        let s = scale
        let (deviceX, deviceY, deviceWidth, deviceHeight) = (x * s, y * s, targetWidth * s, targetHeight * s)
        // The engine's one resampling rule (`Interpolation.taps`): nearest taps have weight 0.
        let columnTaps = interpolation.taps(source: sourceWidth, target: deviceWidth)
        let rowTaps = interpolation.taps(source: sourceHeight, target: deviceHeight)
        let a = min(max(alpha, 0), 1)
        for row in max(0, -deviceY)..<max(0, min(deviceHeight, pixelHeight - deviceY)) {
            let rowTap = rowTaps[row]
            for column in max(0, -deviceX)..<max(0, min(deviceWidth, pixelWidth - deviceX)) {
                let columnTap = columnTaps[column]
                let base = ((deviceY + row) * pixelWidth + deviceX + column) * 3
                for channel in 0..<3 {
                    let top = Interpolation.mix(sample(columnTap.first, rowTap.first, channel),
                                                sample(columnTap.second, rowTap.first, channel), columnTap.weight)
                    let bottom = Interpolation.mix(sample(columnTap.first, rowTap.second, channel),
                                                   sample(columnTap.second, rowTap.second, channel), columnTap.weight)
                    let value = min(max(Interpolation.mix(top, bottom, rowTap.weight), 0), 1)
                    pixels[base + channel] = a >= 1 ? value : pixels[base + channel] + (value - pixels[base + channel]) * a
                }
            }
        }
    }

    /// Draws another canvas at (x, y), scaled to the target size when given.
    public mutating func drawCanvas(_ other: Canvas, x: Int, y: Int, targetWidth: Int? = nil, targetHeight: Int? = nil,
                                    interpolation: Interpolation = .nearest, alpha: Float = 1) {
        drawPicture(pixels: other.pixels, width: other.pixelWidth, height: other.pixelHeight, channels: 3, x: x, y: y,
                    targetWidth: targetWidth ?? other.width, targetHeight: targetHeight ?? other.height,
                    interpolation: interpolation, alpha: alpha)
    }

    /// Mixes a same-sized canvas over this one with per-pixel opacity `alpha` (one value per logical
    /// pixel) or a constant opacity when `alpha` has one element.
    public mutating func overlay(_ other: Canvas, alpha: [Float]) {
        guard other.width == width, other.height == height, alpha.count == 1 || alpha.count == width * height else { return }
        var top = other
        if other.scale != scale {
            top = Canvas(width: width, height: height, scale: scale)
            top.drawCanvas(other, x: 0, y: 0)
        }
        for row in 0..<pixelHeight {
            for column in 0..<pixelWidth {
                let index = (row / scale) * width + column / scale
                let a = min(max(alpha.count == 1 ? alpha[0] : alpha[index], 0), 1)
                let base = (row * pixelWidth + column) * 3
                for channel in 0..<3 {
                    pixels[base + channel] += (top.pixels[base + channel] - pixels[base + channel]) * a
                }
            }
        }
    }
}
