import Engine
import Foundation

/// Encodes engine images as PNG bytes for image/png bundles and `save(x, "f.png")`.
enum PNGEncoding {
    static func encode(_ image: Image) throws -> Data {
        Data(try PNGCodec.encode(image))
    }
}
