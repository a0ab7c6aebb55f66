extension Canvas {
    /// A canvas showing `image` (grey or RGB, values clamped to 0...1) at its own size, each image
    /// pixel a `scale` x `scale` block of device pixels.
    public init(image: Image, scale: Int = Canvas.defaultScale) {
        self.init(width: image.width, height: image.height, background: .black, scale: scale)
        drawPicture(pixels: image.pixels, width: image.width, height: image.height, channels: image.channels,
                    x: 0, y: 0, targetWidth: image.width, targetHeight: image.height)
    }

    /// The canvas at its logical size as a 3-channel `Image` (each logical pixel the mean of its
    /// device pixels): the numbers `save(x, "f.npy")` writes and what techniques read back.
    public var image: Image {
        if scale == 1 { return Image(validWidth: width, height: height, channels: 3, pixels: pixels) }
        var logical = [Float](repeating: 0, count: width * height * 3)
        let share = 1 / Float(scale * scale)
        for row in 0..<pixelHeight {
            let target = (row / scale) * width
            for column in 0..<pixelWidth {
                let source = (row * pixelWidth + column) * 3, base = (target + column / scale) * 3
                logical[base] += pixels[source] * share
                logical[base + 1] += pixels[source + 1] * share
                logical[base + 2] += pixels[source + 2] * share
            }
        }
        return Image(validWidth: width, height: height, channels: 3, pixels: logical)
    }

    /// The canvas at device resolution (`pixelWidth` x `pixelHeight`), what the notebook shows.
    public var deviceImage: Image {
        Image(validWidth: pixelWidth, height: pixelHeight, channels: 3, pixels: pixels)
    }
}
