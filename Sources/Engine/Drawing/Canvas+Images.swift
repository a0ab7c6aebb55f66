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
        let scaleX = Float(sourceWidth) / Float(targetWidth)
        let scaleY = Float(sourceHeight) / Float(targetHeight)
        for row in max(0, -y)..<max(0, min(targetHeight, height - y)) {
            for column in max(0, -x)..<max(0, min(targetWidth, width - x)) {
                var red: Float = 0, green: Float = 0, blue: Float = 0
                switch interpolation {
                case .nearest:
                    let sx = min(Int(Float(column) * scaleX), sourceWidth - 1)
                    let sy = min(Int(Float(row) * scaleY), sourceHeight - 1)
                    red = sample(sx, sy, 0); green = sample(sx, sy, 1); blue = sample(sx, sy, 2)
                case .bilinear:
                    let fx = min(max((Float(column) + 0.5) * scaleX - 0.5, 0), Float(sourceWidth - 1))
                    let fy = min(max((Float(row) + 0.5) * scaleY - 0.5, 0), Float(sourceHeight - 1))
                    let x0 = Int(fx), y0 = Int(fy)
                    let x1 = min(x0 + 1, sourceWidth - 1), y1 = min(y0 + 1, sourceHeight - 1)
                    let tx = fx - Float(x0), ty = fy - Float(y0)
                    func mix(_ channel: Int) -> Float {
                        let top = sample(x0, y0, channel) * (1 - tx) + sample(x1, y0, channel) * tx
                        let bottom = sample(x0, y1, channel) * (1 - tx) + sample(x1, y1, channel) * tx
                        return top * (1 - ty) + bottom * ty
                    }
                    red = mix(0); green = mix(1); blue = mix(2)
                }
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
