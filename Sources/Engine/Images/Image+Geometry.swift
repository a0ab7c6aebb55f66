/// Cropping and padding.
extension Image {
    /// The rectangle at (x, y) of the given size; it must lie inside the image.
    public func cropped(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int) throws -> Image {
        guard x >= 0, y >= 0, cropWidth > 0, cropHeight > 0, x + cropWidth <= width, y + cropHeight <= height else {
            throw EngineError.invalid("crop of \(cropWidth)x\(cropHeight) at (\(x), \(y)) does not fit in a \(width)x\(height) image")
        }
        var result = [Float]()
        result.reserveCapacity(cropWidth * cropHeight * channels)
        for row in y..<(y + cropHeight) {
            let start = (row * width + x) * channels
            result.append(contentsOf: pixels[start..<(start + cropWidth * channels)])
        }
        return Image(validWidth: cropWidth, height: cropHeight, channels: channels, pixels: result)
    }

    /// The centred rectangle of the given size (at most the image's size).
    public func centerCropped(width cropWidth: Int, height cropHeight: Int) throws -> Image {
        try cropped(x: (width - cropWidth) / 2, y: (height - cropHeight) / 2, width: cropWidth, height: cropHeight)
    }

    /// Adds borders of a constant value.
    public func padded(top: Int, left: Int, bottom: Int, right: Int, value: Float = 0) throws -> Image {
        guard top >= 0, left >= 0, bottom >= 0, right >= 0 else {
            throw EngineError.invalid("padding (\(top), \(left), \(bottom), \(right)) must not be negative")
        }
        let newWidth = width + left + right, newHeight = height + top + bottom
        try Image.validate(width: newWidth, height: newHeight, channels: channels)
        var result = [Float](repeating: value, count: newWidth * newHeight * channels)
        for row in 0..<height {
            let from = row * width * channels, to = ((row + top) * newWidth + left) * channels
            result.replaceSubrange(to..<(to + width * channels), with: pixels[from..<(from + width * channels)])
        }
        return Image(validWidth: newWidth, height: newHeight, channels: channels, pixels: result)
    }

    /// Resizes the shorter side to `resizeTo`, then takes the centred `width` x `height` crop:
    /// the usual ImageNet evaluation transform. An image already at the target size is returned as is.
    public func fitted(width targetWidth: Int, height targetHeight: Int, resizeTo side: Int? = nil) throws -> Image {
        if width == targetWidth && height == targetHeight { return self }
        let shorter = max(side ?? max(targetWidth, targetHeight), max(targetWidth, targetHeight))
        let scaled = try resized(shorterSide: shorter)
        return try scaled.centerCropped(width: targetWidth, height: targetHeight)
    }
}
