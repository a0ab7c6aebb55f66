/// The live picture of "a network paints an image": the network's painting beside the photo
/// it is fitted to, both scaled to the same display height, with the step and loss above.
public struct PaintingPicture {
    public var painting: Image
    public var photo: Image
    /// Optimizer steps taken and the smoothed training loss (mean squared error, 0...1 units).
    public var steps: Int
    public var loss: Float

    /// Display height of each picture in pixels (nearest-neighbour, so the network's pixels show).
    public static let displayHeight = 256

    public init(painting: Image, photo: Image, steps: Int, loss: Float) {
        self.painting = painting
        self.photo = photo
        self.steps = steps
        self.loss = loss
    }

    /// Two pictures of `displayHeight` (width by aspect) 16 pixels apart under a 36-pixel header.
    public func render() -> Canvas {
        let side = PaintingPicture.displayHeight
        let shownWidth = max(1, side * photo.width / max(1, photo.height))
        var canvas = Canvas(width: 2 * shownWidth + 48, height: side + 52)
        canvas.drawText("step \(steps)   loss \(NumberLabel.format(loss))", x: 16, y: 6)
        canvas.drawText("the network's painting", x: 16, y: 22)
        canvas.drawText("the photo (\(photo.width)x\(photo.height))", x: 32 + shownWidth, y: 22)
        for (index, image) in [painting, photo].enumerated() {
            canvas.drawPicture(pixels: image.pixels, width: image.width, height: image.height, channels: image.channels,
                               x: 16 + index * (shownWidth + 16), y: 36, targetWidth: shownWidth, targetHeight: side)
        }
        return canvas
    }
}
