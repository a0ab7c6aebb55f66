/// Where a network's input lies in the photo it was made from.
///
/// Networks look at a centre crop of the photo scaled so its shorter side fits (the ImageNet
/// evaluation transform), so a map computed on the input (saliency, CAM) covers only that
/// rectangle of a photo that is not square. Cutting or drawing it over the whole photo would
/// stretch it and move every bright spot. The rectangle is measured through the network's own
/// `preprocess` rather than recomputed from the resize rule: the network preprocesses two ramps whose
/// values are the photo's column and row coordinates, and since resampling is linear, the
/// ramps come back holding the photo coordinates of each input pixel.
public struct InputRegion: Equatable, Sendable {
    /// The photo's size in pixels.
    public let sourceWidth: Int
    public let sourceHeight: Int
    /// The input's rectangle in photo pixel coordinates (0 is the photo's left or top edge,
    /// `sourceWidth` its right edge); fractional, since the crop is taken after scaling.
    public let x: Double
    public let y: Double
    public let width: Double
    public let height: Double

    public init(sourceWidth: Int, sourceHeight: Int, x: Double, y: Double, width: Double, height: Double) {
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The whole of a photo, for maps computed on it directly.
    public static func whole(width: Int, height: Int) -> InputRegion {
        InputRegion(sourceWidth: width, sourceHeight: height, x: 0, y: 0, width: Double(width), height: Double(height))
    }

    /// The rectangle of a `width` x `height` photo that `network` looks at.
    public static func measure(network: Network, width: Int, height: Int) throws -> InputRegion {
        let (inputHeight, inputWidth) = network.inputSize
        if width == inputWidth && height == inputHeight { return .whole(width: width, height: height) }
        let space = try InputSpace(network: network)
        // The value of photo pixel (column, row) is (coordinate of its centre) / extent, in 0...1
        // like any pixel, so clamping preprocessing cannot touch it.
        func ramp(alongColumns: Bool) throws -> [Float] {
            var pixels = [Float](repeating: 0, count: width * height * space.imageChannels)
            for row in 0..<height {
                for column in 0..<width {
                    let value = alongColumns ? (Float(column) + 0.5) / Float(width) : (Float(row) + 0.5) / Float(height)
                    for channel in 0..<space.imageChannels {
                        pixels[(row * width + column) * space.imageChannels + channel] = value
                    }
                }
            }
            let tensor = try network.preprocess(try Image(width: width, height: height, channels: space.imageChannels,
                                                          pixels: pixels))
            guard tensor.count == space.tensorChannels * inputHeight * inputWidth, space.scale[0] != 0 else {
                throw EngineError.shapeMismatch("\(network.name): preprocess gave \(tensor.shape), expected [1, \(space.tensorChannels), \(inputHeight), \(inputWidth)]")
            }
            // Channel 0 of the tensor, back in image units.
            return (0..<(inputHeight * inputWidth)).map { (tensor.data[$0] - space.offset[0]) / space.scale[0] }
        }
        // Two input pixels a half-width apart, away from the edges where resampling clamps,
        // give the affine map from input coordinates to photo coordinates on each axis.
        func axis(_ values: [Float], extent: Int, inputExtent: Int, index: (Int) -> Int) -> (start: Double, length: Double) {
            let first = inputExtent / 4, second = inputExtent - 1 - inputExtent / 4
            guard second > first else { return (0, Double(extent)) }
            let a = Double(values[index(first)]) * Double(extent), b = Double(values[index(second)]) * Double(extent)
            let perPixel = (b - a) / Double(second - first)
            return (a - (Double(first) + 0.5) * perPixel, perPixel * Double(inputExtent))
        }
        let columns = try ramp(alongColumns: true), rows = try ramp(alongColumns: false)
        let middleRow = inputHeight / 2, middleColumn = inputWidth / 2
        let horizontal = axis(columns, extent: width, inputExtent: inputWidth) { middleRow * inputWidth + $0 }
        let vertical = axis(rows, extent: height, inputExtent: inputHeight) { $0 * inputWidth + middleColumn }
        return InputRegion(sourceWidth: width, sourceHeight: height, x: horizontal.start, y: vertical.start,
                           width: horizontal.length, height: vertical.length)
    }

    /// This region on a copy of its photo resized to `width` x `height` (the same photo at
    /// another resolution); nil when the copy's aspect ratio differs by more than a pixel's
    /// rounding, i.e. it is not the same photo.
    public func scaled(toWidth newWidth: Int, height newHeight: Int) -> InputRegion? {
        let scaleX = Double(newWidth) / Double(sourceWidth), scaleY = Double(newHeight) / Double(sourceHeight)
        // Rounding one side to whole pixels moves the ratio by at most half a pixel's worth.
        let tolerance = 0.5 / Double(Swift.min(sourceWidth, sourceHeight)) + 0.5 / Double(Swift.min(newWidth, newHeight))
        guard abs(scaleX / scaleY - 1) <= tolerance else { return nil }
        return InputRegion(sourceWidth: newWidth, sourceHeight: newHeight, x: x * scaleX, y: y * scaleY,
                           width: width * scaleX, height: height * scaleY)
    }

    /// `map` (spanning this region, values at half-pixel centres) laid onto the photo's pixel
    /// grid: bilinearly resampled to the region's extent in photo pixels and placed there. Photo
    /// pixels outside the region were never measured and hold NaN.
    public func place(_ map: ScalarMap) -> ScalarMap {
        let left = Int(x.rounded()), top = Int(y.rounded())
        let right = Int((x + width).rounded()), bottom = Int((y + height).rounded())
        var values = [Float](repeating: .nan, count: sourceWidth * sourceHeight)
        guard right > left, bottom > top else {
            return ScalarMap(validHeight: sourceHeight, width: sourceWidth, values: values)
        }
        let resized = map.resized(height: bottom - top, width: right - left)
        for row in stride(from: Swift.max(top, 0), to: Swift.min(bottom, sourceHeight), by: 1) {
            for column in stride(from: Swift.max(left, 0), to: Swift.min(right, sourceWidth), by: 1) {
                values[row * sourceWidth + column] = resized[row - top, column - left]
            }
        }
        return ScalarMap(validHeight: sourceHeight, width: sourceWidth, values: values)
    }
}
