/// An RGB picture (height x width x 3, row-major, values 0...1) that the lecture figures are drawn on.
///
/// Every drawing call clips to the canvas, so a label or tile that does not fit is cut, never a crash.
public struct Canvas: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// HWC, three channels, 0...1.
    public var pixels: [Float]

    /// A canvas filled with `background` (white by default). Negative sizes give an empty canvas.
    public init(width: Int, height: Int, background: RGBColor = .white) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        pixels = [Float](repeating: 0, count: self.width * self.height * 3)
        fillRect(x: 0, y: 0, width: self.width, height: self.height, color: background)
    }

    /// Wraps existing HWC RGB pixels; nil when the count does not match.
    public init?(width: Int, height: Int, pixels: [Float]) {
        guard width >= 0, height >= 0, pixels.count == width * height * 3 else { return nil }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour at (x, y), or nil outside the canvas.
    public func color(x: Int, y: Int) -> RGBColor? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        let base = (y * width + x) * 3
        return RGBColor(red: pixels[base], green: pixels[base + 1], blue: pixels[base + 2])
    }

    /// Sets one pixel; ignored outside the canvas.
    public mutating func setPixel(x: Int, y: Int, color: RGBColor) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let base = (y * width + x) * 3
        pixels[base] = color.red
        pixels[base + 1] = color.green
        pixels[base + 2] = color.blue
    }

    /// Mixes `color` over the pixel with opacity `alpha` (0 keeps the pixel, 1 replaces it).
    public mutating func blendPixel(x: Int, y: Int, color: RGBColor, alpha: Float) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let a = min(max(alpha, 0), 1)
        let base = (y * width + x) * 3
        pixels[base] += (color.red - pixels[base]) * a
        pixels[base + 1] += (color.green - pixels[base + 1]) * a
        pixels[base + 2] += (color.blue - pixels[base + 2]) * a
    }

    /// Fills the rectangle with top-left (x, y), clipped to the canvas.
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, color: RGBColor) {
        let left = max(x, 0), right = min(x + w, width)
        let top = max(y, 0), bottom = min(y + h, height)
        guard left < right, top < bottom else { return }
        for row in top..<bottom {
            for column in left..<right {
                let base = (row * width + column) * 3
                pixels[base] = color.red
                pixels[base + 1] = color.green
                pixels[base + 2] = color.blue
            }
        }
    }

    /// Draws a frame of `thickness` pixels just inside the rectangle.
    public mutating func strokeRect(x: Int, y: Int, width w: Int, height h: Int, color: RGBColor, thickness: Int = 1) {
        let t = max(1, min(thickness, w / 2 + 1, h / 2 + 1))
        fillRect(x: x, y: y, width: w, height: t, color: color)
        fillRect(x: x, y: y + h - t, width: w, height: t, color: color)
        fillRect(x: x, y: y, width: t, height: h, color: color)
        fillRect(x: x + w - t, y: y, width: t, height: h, color: color)
    }

    /// A straight line by Bresenham's algorithm; thickness > 1 stamps a square pen.
    public mutating func drawLine(fromX x0: Int, y y0: Int, toX x1: Int, y y1: Int, color: RGBColor, thickness: Int = 1) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let stepX = x0 < x1 ? 1 : -1, stepY = y0 < y1 ? 1 : -1
        var error = dx + dy
        let pen = max(thickness, 1), offset = (pen - 1) / 2
        while true {
            if pen == 1 { setPixel(x: x, y: y, color: color) } else {
                fillRect(x: x - offset, y: y - offset, width: pen, height: pen, color: color)
            }
            if x == x1 && y == y1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += stepX }
            if doubled <= dx { error += dx; y += stepY }
        }
    }

    /// A filled disc of the given radius centred at (cx, cy), for scatter markers.
    public mutating func fillCircle(centerX cx: Int, centerY cy: Int, radius: Int, color: RGBColor) {
        let r = max(radius, 0)
        for dy in -r...r {
            for dx in -r...r where dx * dx + dy * dy <= r * r + r {
                setPixel(x: cx + dx, y: cy + dy, color: color)
            }
        }
    }
}
