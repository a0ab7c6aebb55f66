import CPNG
import Foundation

/// PNG decoding through libpng's low-level API and encoding through its simplified API.
///
/// Decoding reads the values the file stores, for every bit depth (1, 2, 4, 8, 16) and colour
/// type: no gamma or colour-space transformation is applied, whatever gAMA, sRGB, cHRM or iCCP
/// chunks say (browsers show sRGB files' stored values, and networks were trained on them).
/// Palettes are expanded to RGB, and 1/2/4-bit grey is scaled to 0...1 (stored value v of
/// depth d reads as v / (2^d - 1)); 16-bit files keep their precision. Alpha (an alpha channel
/// or tRNS transparency) is composited over white on the stored values, with straight (not
/// premultiplied) alpha: value * alpha + (1 - alpha).
///
/// libpng reports errors through an error function that must not return (C code would
/// longjmp); decoding runs on `CContextSwitch`'s private stack so that function can abandon
/// the decode and the error becomes a Swift error, never a crash.
public enum PNGCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Compressed ancillary chunks (iCCP, zTXt, iTXt) may expand to at most this many bytes,
    /// so a small file cannot claim gigabytes of text or profile.
    static let maximumChunkExpansion = 8_000_000

    public static func isPNG(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && Array(bytes[0..<8]) == signature
    }

    /// Everything the decode touches, in manually allocated memory: the decode's stack frames
    /// may be abandoned, and nothing reference-counted may live there.
    private struct DecodeState {
        var png: OpaquePointer?
        var info: OpaquePointer?
        var input: UnsafePointer<UInt8>?
        var inputCount = 0
        var inputOffset = 0
        var width = 0
        var height = 0
        /// After libpng's transformations (palette and low depths expanded).
        var channels = 0
        var bitDepth = 0
        var rowBytes = 0
        var passes = 1
        var output: UnsafeMutablePointer<UInt8>?
        var failure = Failure.none
        var message: UnsafeMutablePointer<CChar>?
    }

    private enum Failure { case none, libpng, oversized, cancelled }

    static let messageCapacity = 256

    nonisolated(unsafe) private static var state: UnsafeMutablePointer<DecodeState>?
    /// `state` is global (the routine run on the private stack takes no argument), so decodes take turns.
    private static let decodeLock = NSLock()

    /// Decodes PNG bytes into an image of 1 (grey) or 3 (colour) channels in 0...1.
    ///
    /// Throws `EngineError.format` naming `source` for a corrupt or truncated file,
    /// `EngineError.invalid` for one over `Image.maximumPixels` (checked from the header before
    /// anything is allocated) and `EngineError.cancelled` when the cell is interrupted.
    public static func decode(_ bytes: [UInt8], source: String = "PNG data") throws -> Image {
        try decodeCutout(bytes, source: source, background: 1).image
    }

    /// Decodes a cut-out (a PNG whose alpha channel is an object mask): the image composited over
    /// a flat `background` grey (0...1), and the alpha as a [height x width] mask in 0...1, or nil
    /// when the file has no alpha channel. Throws as `decode` does.
    public static func decodeCutout(_ bytes: [UInt8], source: String = "PNG data",
                                    background: Float) throws -> (image: Image, alpha: [Float]?) {
        try checkHeaderSize(bytes, source: source)
        try checkChunkLengths(bytes, source: source)
        let decodeState = UnsafeMutablePointer<DecodeState>.allocate(capacity: 1)
        decodeState.initialize(to: DecodeState())
        let message = UnsafeMutablePointer<CChar>.allocate(capacity: messageCapacity)
        message.initialize(repeating: 0, count: messageCapacity)
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        input.initialize(from: bytes, count: bytes.count)
        decodeState.pointee.message = message
        decodeState.pointee.input = UnsafePointer(input)
        decodeState.pointee.inputCount = bytes.count
        defer {
            // Safe after success and after an abandoned decode alike: libpng is built for longjmp.
            var png = decodeState.pointee.png, info = decodeState.pointee.info
            if png != nil { png_destroy_read_struct(&png, &info, nil) }
            decodeState.pointee.output?.deallocate()
            decodeState.deinitialize(count: 1)
            decodeState.deallocate()
            message.deallocate()
            input.deallocate()
        }
        guard let png = png_create_read_struct(PNG_LIBPNG_VER_STRING, UnsafeMutableRawPointer(decodeState), errorFunction, ignoreWarning),
              let info = png_create_info_struct(png) else {
            throw EngineError.unsupported("\(source): libpng could not start (out of memory?)")
        }
        decodeState.pointee.png = png
        decodeState.pointee.info = info

        let headerRead: Bool = try withState(decodeState) { try CContextSwitch.run(readHeaderRoutine) }
        try checkFailure(decodeState.pointee, completed: headerRead, source: source)
        let header = decodeState.pointee
        let sampleBytes = header.bitDepth == 16 ? 2 : 1
        guard (1...4).contains(header.channels), header.bitDepth == 8 || header.bitDepth == 16,
              header.rowBytes == header.width * header.channels * sampleBytes else {
            throw EngineError.format("\(source): unexpected PNG layout (\(header.channels) channels of \(header.bitDepth) bits)")
        }
        decodeState.pointee.output = UnsafeMutablePointer<UInt8>.allocate(capacity: header.rowBytes * header.height)
        let rowsRead: Bool = try withState(decodeState) { try CContextSwitch.run(readRowsRoutine) }
        try checkFailure(decodeState.pointee, completed: rowsRead, source: source)
        guard let output = decodeState.pointee.output else { throw EngineError.format("\(source): PNG decoding stopped early") }
        return convert(output, width: header.width, height: header.height, channels: header.channels, bitDepth: header.bitDepth,
                       background: background)
    }

    private static func withState<T>(_ pointer: UnsafeMutablePointer<DecodeState>, _ body: () throws -> T) rethrows -> T {
        decodeLock.lock()
        state = pointer
        defer { state = nil; decodeLock.unlock() }
        return try body()
    }

    private static func checkFailure(_ result: DecodeState, completed: Bool, source: String) throws {
        switch result.failure {
        case .cancelled:
            throw EngineError.cancelled
        case .oversized:
            throw EngineError.invalid("\(source): PNG of \(result.width)x\(result.height) pixels is over the \(Image.maximumPixels / 1_000_000) megapixel limit")
        case .libpng:
            let text = result.message.map { String(cString: $0) } ?? "unknown error"
            throw EngineError.format("\(source): corrupt or unsupported PNG (\(text))")
        case .none:
            guard completed else { throw EngineError.format("\(source): PNG decoding stopped early") }
        }
    }

    /// Stored samples (8-bit, or 16-bit big-endian) to 0...1, alpha composited over `background`
    /// (white for ordinary files), and the alpha itself when there is one.
    private static func convert(_ raw: UnsafeMutablePointer<UInt8>, width: Int, height: Int, channels stored: Int, bitDepth: Int,
                                background: Float) -> (image: Image, alpha: [Float]?) {
        let count = width * height * stored
        var samples = [Float](repeating: 0, count: count)
        samples.withUnsafeMutableBufferPointer { samples in
            if bitDepth == 16 {
                for index in 0..<count { samples[index] = Float(UInt16(raw[2 * index]) << 8 | UInt16(raw[2 * index + 1])) / 65535 }
            } else {
                for index in 0..<count { samples[index] = Float(raw[index]) / 255 }
            }
        }
        let hasAlpha = stored == 2 || stored == 4
        let channels = stored >= 3 ? 3 : 1
        guard hasAlpha else { return (Image(validWidth: width, height: height, channels: channels, pixels: samples), nil) }
        var pixels = [Float](repeating: 0, count: width * height * channels)
        var mask = [Float](repeating: 0, count: width * height)
        pixels.withUnsafeMutableBufferPointer { pixels in
            for pixel in 0..<(width * height) {
                let alpha = samples[pixel * stored + channels]
                mask[pixel] = alpha
                for channel in 0..<channels {
                    pixels[pixel * channels + channel] = samples[pixel * stored + channel] * alpha + (1 - alpha) * background
                }
            }
        }
        return (Image(validWidth: width, height: height, channels: channels, pixels: pixels), mask)
    }

    // MARK: - libpng callbacks and routines (run on the private stack)

    /// libpng's error function: record the message, then leave the decode for good.
    private static let errorFunction: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Void = { png, text in
        if let png, let raw = png_get_error_ptr(png) {
            let state = raw.assumingMemoryBound(to: DecodeState.self)
            if let message = state.pointee.message {
                message.initialize(repeating: 0, count: messageCapacity)
                if let text { strncpy(message, text, messageCapacity - 1) }
            }
            state.pointee.failure = .libpng
        }
        CContextSwitch.abandon()
    }

    private static let ignoreWarning: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Void = { _, _ in }

    /// Feeds libpng from the bytes in memory; running out is an error (a truncated file).
    private static let readFunction: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>?, Int) -> Void = { png, destination, length in
        guard let png, let raw = png_get_io_ptr(png) else { return }
        let state = raw.assumingMemoryBound(to: DecodeState.self)
        guard let destination, let input = state.pointee.input, length >= 0,
              length <= state.pointee.inputCount - state.pointee.inputOffset else {
            png_error(png, "the file ends before the image data does (truncated)")
        }
        destination.update(from: input + state.pointee.inputOffset, count: length)
        state.pointee.inputOffset += length
    }

    private static let readHeaderRoutine: @convention(c) () -> Void = {
        guard let state = PNGCodec.state else { return }
        PNGCodec.readHeader(state)
    }

    private static let readRowsRoutine: @convention(c) () -> Void = {
        guard let state = PNGCodec.state else { return }
        PNGCodec.readRows(state)
    }

    private static func readHeader(_ state: UnsafeMutablePointer<DecodeState>) {
        guard let png = state.pointee.png, let info = state.pointee.info else { return }
        png_set_read_fn(png, UnsafeMutableRawPointer(state), readFunction)
        png_set_user_limits(png, UInt32(Image.maximumPixels), UInt32(Image.maximumPixels))
        png_set_chunk_malloc_max(png, png_alloc_size_t(maximumChunkExpansion))
        png_read_info(png, info)
        state.pointee.width = Int(png_get_image_width(png, info))
        state.pointee.height = Int(png_get_image_height(png, info))
        guard withinPixelLimit(width: state.pointee.width, height: state.pointee.height) else {
            state.pointee.failure = .oversized
            return
        }
        // Palette to RGB, grey below 8 bits to 8 bits (scaled to the full range), tRNS to an
        // alpha channel. Nothing else: no gamma, no colour space, no 16-to-8 reduction.
        png_set_expand(png)
        state.pointee.passes = Int(png_set_interlace_handling(png))
        png_read_update_info(png, info)
        state.pointee.channels = Int(png_get_channels(png, info))
        state.pointee.bitDepth = Int(png_get_bit_depth(png, info))
        state.pointee.rowBytes = Int(png_get_rowbytes(png, info))
    }

    /// Reads every row of every interlace pass into `output` (libpng combines the passes).
    private static func readRows(_ state: UnsafeMutablePointer<DecodeState>) {
        guard let png = state.pointee.png, let output = state.pointee.output else { return }
        let rowBytes = state.pointee.rowBytes, height = state.pointee.height
        for _ in 0..<state.pointee.passes {
            for row in 0..<height {
                if row % 64 == 0, cancellationRequested() {
                    state.pointee.failure = .cancelled
                    return
                }
                png_read_row(png, output + row * rowBytes, nil)
            }
        }
    }

    /// Asks `Cancellation` in a frame of its own, so no reference is held when a decode is abandoned.
    @inline(never)
    static func cancellationRequested() -> Bool {
        (try? Cancellation.check()) == nil
    }

    /// Whether `width` x `height` is at most `Image.maximumPixels`. The fields are unsigned 32-bit
    /// (PNG 1.2 §11.2.2 allows up to 2^31 - 1, a corrupt file anything), so their product can pass
    /// `Int.max`: the fuzzer found IHDR sizes 0xC7168206 x 0xAB000000 trapping a plain `*`.
    static func withinPixelLimit(width: Int, height: Int) -> Bool {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        return !overflow && pixels <= Image.maximumPixels
    }

    /// Refuses oversized images from the IHDR chunk alone, before libpng allocates anything.
    private static func checkHeaderSize(_ bytes: [UInt8], source: String) throws {
        guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return }
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        // Zero sizes are libpng's to report.
        guard withinPixelLimit(width: width, height: height) else {
            throw EngineError.invalid("\(source): PNG of \(width)x\(height) pixels is over the \(Image.maximumPixels / 1_000_000) megapixel limit")
        }
    }

    /// Refuses a chunk before the image data whose declared length runs past the end of the
    /// file. libpng reads such chunks whole into a buffer it allocates and zeroes first (the
    /// fuzzer found a 458-byte file whose zTXt claimed 1.5 GB, a second of memset per decode),
    /// and could never fill it. IDAT is read in pieces as inflating needs them, not buffered
    /// whole, so its length is left to libpng; the chunks after it are never read.
    /// Layout per PNG 1.2 §5.3: a 4-byte big-endian length, the type, the data, a 4-byte CRC.
    private static func checkChunkLengths(_ bytes: [UInt8], source: String) throws {
        var offset = signature.count
        while offset + 8 <= bytes.count {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = Array(bytes[(offset + 4)..<(offset + 8)])
            if type == Array("IDAT".utf8) || type == Array("IEND".utf8) { return }
            // A length needs 12 bytes around it; subtracting from the count cannot overflow.
            guard length <= bytes.count - offset - 12 else {
                let name = String(decoding: type.map { (0x41...0x7A).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
                throw EngineError.format("\(source): corrupt or truncated PNG (chunk '\(name)' declares \(length) bytes, the file has \(max(0, bytes.count - offset - 12)) left)")
            }
            offset += 12 + length
        }
    }

    /// 8-bit PNG bytes (gray or RGB as the image is); values are clamped and rounded.
    public static func encode(_ picture: Image) throws -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(picture.width)
        image.height = UInt32(picture.height)
        image.format = picture.channels == 3 ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0
        defer { png_image_free(&image) }
        let raw = picture.pixels.map { UInt8((min(max($0.isNaN ? 0 : $0, 0), 1) * 255).rounded()) }
        let stride = Int32(picture.width * picture.channels)
        var size = 0
        // First call measures, second writes.
        let measured = raw.withUnsafeBytes { buffer in
            png_image_write_to_memory(&image, nil, &size, 0, buffer.baseAddress, stride, nil)
        }
        guard measured != 0, size > 0 else { throw EngineError.format("PNG encoding failed (\(message(of: image)))") }
        var output = [UInt8](repeating: 0, count: size)
        let written = raw.withUnsafeBytes { buffer in
            output.withUnsafeMutableBytes { destination in
                png_image_write_to_memory(&image, destination.baseAddress, &size, 0, buffer.baseAddress, stride, nil)
            }
        }
        guard written != 0 else { throw EngineError.format("PNG encoding failed (\(message(of: image)))") }
        return Array(output[0..<size])
    }

    private static func message(of image: png_image) -> String {
        var copy = image.message
        return withUnsafeBytes(of: &copy) { buffer in
            String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
