/// An RGB picture that the lecture figures are drawn on, in logical pixels with `scale` device
/// pixels per logical pixel (2 by default, for high-DPI screens).
///
/// Every drawing call takes logical coordinates and clips to the canvas, so a label or tile that
/// does not fit is cut, never a crash. Text, lines and markers are drawn anti-aliased by Cairo at
/// device resolution; pictures placed on the canvas are upsampled to it (nearest neighbour stays
/// crisp). `image` is the picture at its logical size (each device block averaged), the numbers
/// `save(x, "f.npy")` writes; `deviceImage` is what the notebook shows.
public struct Canvas: Equatable, Sendable {
    /// Logical size.
    public let width: Int
    public let height: Int
    /// Device pixels per logical pixel (1 or more).
    public let scale: Int
    /// HWC, three channels, 0...1, at device resolution (`pixelWidth` x `pixelHeight`).
    public var pixels: [Float]

    /// Device pixels per logical pixel for canvases made without an explicit scale: pictures are
    /// rendered at 2x and shown at 1x size (image/png metadata), crisp on high-DPI screens.
    public static let defaultScale = 2

    public var pixelWidth: Int { width * scale }
    public var pixelHeight: Int { height * scale }

    /// A canvas filled with `background` (white by default). Negative sizes give an empty canvas.
    public init(width: Int, height: Int, background: RGBColor = .white, scale: Int = Canvas.defaultScale) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        self.scale = max(scale, 1)
        pixels = [Float](repeating: 0, count: self.width * self.height * self.scale * self.scale * 3)
        fillRect(x: 0, y: 0, width: self.width, height: self.height, color: background)
    }

    /// Wraps existing HWC RGB pixels at `scale` (logical size = pixel size / scale); nil when the
    /// count does not match.
    public init?(width: Int, height: Int, pixels: [Float], scale: Int = 1) {
        guard width >= 0, height >= 0, scale >= 1, pixels.count == width * height * scale * scale * 3 else { return nil }
        self.width = width
        self.height = height
        self.scale = scale
        self.pixels = pixels
    }

    /// The colour of logical pixel (x, y) (the mean of its device pixels), or nil outside the canvas.
    public func color(x: Int, y: Int) -> RGBColor? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        var sum = (Float(0), Float(0), Float(0))
        for row in (y * scale)..<((y + 1) * scale) {
            for column in (x * scale)..<((x + 1) * scale) {
                let base = (row * pixelWidth + column) * 3
                sum.0 += pixels[base]
                sum.1 += pixels[base + 1]
                sum.2 += pixels[base + 2]
            }
        }
        let n = Float(scale * scale)
        return RGBColor(red: sum.0 / n, green: sum.1 / n, blue: sum.2 / n)
    }

    /// Sets one logical pixel (all its device pixels); ignored outside the canvas.
    public mutating func setPixel(x: Int, y: Int, color: RGBColor) {
        fillRect(x: x, y: y, width: 1, height: 1, color: color)
    }

    /// Mixes `color` over logical pixel (x, y) with opacity `alpha` (0 keeps the pixel, 1 replaces it).
    public mutating func blendPixel(x: Int, y: Int, color: RGBColor, alpha: Float) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        blendDevicePixels(left: x * scale, top: y * scale, right: (x + 1) * scale, bottom: (y + 1) * scale,
                          color: color, alpha: alpha)
    }

    /// Mixes `color` over the device-pixel rectangle [left, right) x [top, bottom) (already clipped).
    mutating func blendDevicePixels(left: Int, top: Int, right: Int, bottom: Int, color: RGBColor, alpha: Float) {
        let a = min(max(alpha, 0), 1)
        for row in top..<bottom {
            for column in left..<right {
                let base = (row * pixelWidth + column) * 3
                pixels[base] += (color.red - pixels[base]) * a
                pixels[base + 1] += (color.green - pixels[base + 1]) * a
                pixels[base + 2] += (color.blue - pixels[base + 2]) * a
            }
        }
    }

    /// Fills the rectangle with top-left (x, y), clipped to the canvas. Whole logical pixels, so
    /// no anti-aliasing is needed.
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, color: RGBColor) {
        let left = max(x, 0) * scale, right = min(x + w, width) * scale
        let top = max(y, 0) * scale, bottom = min(y + h, height) * scale
        guard left < right, top < bottom else { return }
        for row in top..<bottom {
            for column in left..<right {
                let base = (row * pixelWidth + column) * 3
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

    /// A straight anti-aliased line between the centres of logical pixels (x0, y0) and (x1, y1),
    /// `thickness` logical pixels wide with round caps.
    public mutating func drawLine(fromX x0: Int, y y0: Int, toX x1: Int, y y1: Int, color: RGBColor, thickness: Int = 1) {
        strokePolyline([(Double(x0) + 0.5, Double(y0) + 0.5), (Double(x1) + 0.5, Double(y1) + 0.5)],
                       color: color, lineWidth: Double(max(thickness, 1)))
    }

    /// A filled anti-aliased disc of the given radius centred on logical pixel (cx, cy), for
    /// scatter markers. Radius 0 is one pixel.
    public mutating func fillCircle(centerX cx: Int, centerY cy: Int, radius: Int, color: RGBColor) {
        fillDisc(centerX: Double(cx) + 0.5, centerY: Double(cy) + 0.5, radius: Double(max(radius, 0)) + 0.5, color: color)
    }
}
