import Engine

/// The two ways `image(..., size:)` reshapes a photo, on the engine's resize and crop.
enum ImageResizing {
    /// Shorter side to `side`, then the centre `side` x `side` square (how networks crop their input).
    static func shorterSideThenCentreCrop(_ image: Image, side: Int) throws -> Image {
        try image.resized(shorterSide: side).centerCropped(width: side, height: side)
    }

    /// Exactly `height` x `width`, stretching if the aspect ratio differs.
    static func resize(_ image: Image, height: Int, width: Int) throws -> Image {
        try image.resized(width: width, height: height)
    }
}
