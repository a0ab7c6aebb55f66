/// Google's iterate-and-zoom DeepDream (Mordvintsev, Olah and Tyka 2015, "Inceptionism", and the
/// deepdream notebook's last cell): dream, zoom into the centre by a few percent (crop the centre
/// and resize it back to the full size), dream again on the result, and so on; the frames make a
/// fly-through in which what the layer sees keeps growing out of itself.
public enum DreamZoom {
    public static let zoomRange = NumberRange.aboveUpTo(0, 50)
    public static let frameRange = NumberRange.closed(1, 200)

    /// `progress(frame, frames, step, steps of this frame, image or nil)`.
    public typealias Progress = (_ frame: Int, _ frames: Int, _ step: Int, _ total: Int, _ image: Image?) -> Void

    /// The dreamed frames, the first dreamed on `image` itself. An interrupt ends the sequence with
    /// the frames made so far (the interrupted frame included, as far as it got) and `interrupted` set.
    /// - Throws: `EngineError` for a zoom outside (0, 50] percent, a frame count outside 1...200, or
    ///   what `DeepDream.run` throws.
    public static func run(network: Network, image: Image, layer: String, zoom: Float, frames: Int,
                           options: DeepDream.Options = DeepDream.Options(), progress: Progress? = nil) throws -> (frames: [Image], interrupted: Bool) {
        try zoomRange.check(zoom, "zoom (percent)", in: "dream")
        try frameRange.check(frames, "frames", in: "dream")
        var current = image
        var made: [Image] = []
        for frame in 1...frames {
            var frameOptions = options
            frameOptions.seed = options.seed &+ UInt64(frame - 1)
            let result = try DeepDream.run(network: network, image: current, layer: layer, options: frameOptions) { step, total, picture in
                progress?(frame, frames, step, total, picture)
            }
            made.append(result.image)
            if result.interrupted { return (made, true) }
            current = try zoomed(result.image, percent: zoom)
        }
        return (made, false)
    }

    /// The centre (1 - percent / 100) of the image on each side, resized back to the full size.
    static func zoomed(_ image: Image, percent: Float) throws -> Image {
        let keep = 1 - percent / 100
        let width = Swift.max(1, Int((Float(image.width) * keep).rounded()))
        let height = Swift.max(1, Int((Float(image.height) * keep).rounded()))
        let (x0, y0) = ((image.width - width) / 2, (image.height - height) / 2)
        var pixels = [Float](repeating: 0, count: width * height * image.channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<image.channels {
                    pixels[(y * width + x) * image.channels + c] = image.pixels[((y0 + y) * image.width + x0 + x) * image.channels + c]
                }
            }
        }
        return try Image(width: width, height: height, channels: image.channels, pixels: pixels).resized(width: image.width, height: image.height)
    }
}
