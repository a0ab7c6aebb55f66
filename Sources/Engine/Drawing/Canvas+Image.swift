extension Canvas {
    /// A canvas showing `image` (grey or RGB, values clamped to 0...1) at its own size.
    public init(image: Image) {
        self.init(width: image.width, height: image.height, background: .black)
        drawPicture(pixels: image.pixels, width: image.width, height: image.height, channels: image.channels,
                    x: 0, y: 0, targetWidth: image.width, targetHeight: image.height)
    }

    /// The canvas as a 3-channel `Image`, for saving and for returning to the language.
    public var image: Image {
        Image(validWidth: width, height: height, channels: 3, pixels: pixels)
    }
}
