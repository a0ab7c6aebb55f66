import CJPEG
import Foundation

/// JPEG decoding through libjpeg(-turbo), safe against corrupt files.
///
/// libjpeg's fatal errors call `error_exit`, which must not return. Ours formats the message
/// and abandons the decode through `CContextSwitch` (the ucontext equivalent of longjmp),
/// so a corrupt or hostile file gives a Swift error instead of a crash or undefined behaviour.
/// Warnings (e.g. "premature end of data") are ignored: libjpeg fills the missing part in gray,
/// as every viewer does. Grayscale files give 1-channel images, others 3 (CMYK converted).
/// The result is turned as the file's EXIF Orientation says (`ExifOrientation`), so a portrait
/// phone photo comes out upright, as viewers show it, with width and height as they see them.
public enum JPEGCodec {
    public static func isJPEG(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF
    }

    /// Everything the decode touches, in manually allocated memory: the decode's stack frames
    /// may be abandoned, and nothing reference-counted may live there.
    private struct DecodeState {
        var input: UnsafePointer<UInt8>?
        var inputCount: Int = 0
        var decompressor = jpeg_decompress_struct()
        var errorManager = jpeg_error_mgr()
        var output: UnsafeMutablePointer<UInt8>?
        var width = 0
        var height = 0
        var components = 0
        var isCMYK = false
        var progress = jpeg_progress_mgr()
        /// 0 success, 1 libjpeg error (message set), 2 over the size limit, 3 too many scans.
        var failure = 0
        var message: UnsafeMutablePointer<CChar>?
    }

    /// Progressive files with more scans than this are refused. Each scan passes over the whole
    /// image, so a small file of thousands of near-empty scans can keep the decoder busy for
    /// hours; libjpeg-turbo's advice is a progress monitor that stops at a scan limit (its
    /// TurboJPEG API's TJPARAM_SCANLIMIT, djpeg's -maxscans; its fuzzers use 500). Encoders
    /// write about ten (`jpeg_simple_progression`) to a few dozen.
    static let maximumScans = 500

    nonisolated(unsafe) private static var state: UnsafeMutablePointer<DecodeState>?
    /// `state` is global (libjpeg's callbacks carry no user pointer we could trust after an
    /// error), so decodes take turns.
    private static let decodeLock = NSLock()

    public static func decode(_ bytes: [UInt8], source: String = "JPEG data") throws -> Image {
        guard isJPEG(bytes) else { throw EngineError.format("\(source): not a JPEG file") }
        let decodeState = UnsafeMutablePointer<DecodeState>.allocate(capacity: 1)
        decodeState.initialize(to: DecodeState())
        let message = UnsafeMutablePointer<CChar>.allocate(capacity: Int(JMSG_LENGTH_MAX) + 1)
        message.initialize(repeating: 0, count: Int(JMSG_LENGTH_MAX) + 1)
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        input.initialize(from: bytes, count: bytes.count)
        decodeState.pointee.message = message
        decodeState.pointee.input = UnsafePointer(input)
        decodeState.pointee.inputCount = bytes.count
        defer {
            // Safe after success (already destroyed) and after an abandoned decode alike.
            jpeg_destroy_decompress(&decodeState.pointee.decompressor)
            decodeState.pointee.output?.deallocate()
            decodeState.deinitialize(count: 1)
            decodeState.deallocate()
            message.deallocate()
            input.deallocate()
        }
        let completed: Bool = try withState(decodeState) { try CContextSwitch.run(decodeRoutine) }
        let result = decodeState.pointee
        switch result.failure {
        case 2:
            throw EngineError.invalid("\(source): JPEG of \(result.width)x\(result.height) pixels is over the \(Image.maximumPixels / 1_000_000) megapixel limit")
        case 1:
            throw EngineError.format("\(source): corrupt or unsupported JPEG (\(String(cString: message)))")
        case 3:
            throw EngineError.format("\(source): progressive JPEG with more than \(maximumScans) scans; refused (so many scans only make decoding slow)")
        default:
            guard completed, let output = result.output else { throw EngineError.format("\(source): JPEG decoding stopped early") }
            let stored = convert(output, width: result.width, height: result.height, components: result.components, cmyk: result.isCMYK)
            return ExifOrientation(jpeg: bytes).apply(to: stored)
        }
    }

    private static func withState<T>(_ pointer: UnsafeMutablePointer<DecodeState>, _ body: () throws -> T) rethrows -> T {
        decodeLock.lock()
        state = pointer
        defer { state = nil; decodeLock.unlock() }
        return try body()
    }

    private static func convert(_ raw: UnsafeMutablePointer<UInt8>, width: Int, height: Int, components: Int, cmyk: Bool) -> Image {
        let channels = components == 1 ? 1 : 3
        var pixels = [Float](repeating: 0, count: width * height * channels)
        let scale: Float = 1 / 255 // (JPEG values are approximate anyway)
        // A table and buffer pointers: a 50-megapixel file (allowed, and a few hundred bytes of
        // truncated JPEG can declare one) would otherwise take seconds in a debug build.
        let levels = (0...255).map { Float($0) * scale }
        levels.withUnsafeBufferPointer { levels in
            pixels.withUnsafeMutableBufferPointer { pixels in
                if cmyk {
                    for pixel in 0..<(width * height) {
                        // Adobe writes CMYK JPEGs inverted: stored value = 255 - ink.
                        let key = levels[Int(raw[pixel * 4 + 3])]
                        for channel in 0..<3 { pixels[pixel * 3 + channel] = levels[Int(raw[pixel * 4 + channel])] * key }
                    }
                } else if channels == components {
                    for index in 0..<pixels.count { pixels[index] = levels[Int(raw[index])] }
                } else {
                    for pixel in 0..<(width * height) {
                        for channel in 0..<channels { pixels[pixel * channels + channel] = levels[Int(raw[pixel * components + channel])] }
                    }
                }
            }
        }
        return Image(validWidth: width, height: height, channels: channels, pixels: pixels)
    }

    /// libjpeg's fatal error handler: record the message, then leave the decode for good.
    private static let errorExit: @convention(c) (j_common_ptr?) -> Void = { common in
        if let common, let state = JPEGCodec.state, let format = common.pointee.err.pointee.format_message {
            format(common, state.pointee.message)
            state.pointee.failure = 1
        }
        CContextSwitch.abandon()
    }

    private static let ignoreMessage: @convention(c) (j_common_ptr?, Int32) -> Void = { _, _ in }

    /// libjpeg calls this as it consumes input (every iMCU row): past the scan limit, leave.
    private static let progressMonitor: @convention(c) (j_common_ptr?) -> Void = { common in
        guard let common, common.pointee.is_decompressor != 0 else { return }
        // A decompressor's common fields are the start of its jpeg_decompress_struct, as in C.
        let info = UnsafeMutableRawPointer(common).assumingMemoryBound(to: jpeg_decompress_struct.self)
        guard Int(info.pointee.input_scan_number) > JPEGCodec.maximumScans else { return }
        JPEGCodec.state?.pointee.failure = 3
        CContextSwitch.abandon()
    }

    /// The decode proper, run on the private stack.
    private static let decodeRoutine: @convention(c) () -> Void = {
        guard let state = JPEGCodec.state else { return }
        JPEGCodec.decodeSteps(state)
    }

    private static func decodeSteps(_ state: UnsafeMutablePointer<DecodeState>) {
        let info = UnsafeMutableRawPointer(state).advanced(by: MemoryLayout<DecodeState>.offset(of: \DecodeState.decompressor) ?? 0)
            .assumingMemoryBound(to: jpeg_decompress_struct.self)
        let errors = UnsafeMutableRawPointer(state).advanced(by: MemoryLayout<DecodeState>.offset(of: \DecodeState.errorManager) ?? 0)
            .assumingMemoryBound(to: jpeg_error_mgr.self)
        info.pointee.err = jpeg_std_error(errors)
        errors.pointee.error_exit = errorExit
        errors.pointee.emit_message = ignoreMessage
        jpeg_CreateDecompress(info, JPEG_LIB_VERSION, MemoryLayout<jpeg_decompress_struct>.size)
        let progress = UnsafeMutableRawPointer(state).advanced(by: MemoryLayout<DecodeState>.offset(of: \DecodeState.progress) ?? 0)
            .assumingMemoryBound(to: jpeg_progress_mgr.self)
        progress.pointee.progress_monitor = progressMonitor
        info.pointee.progress = progress
        jpeg_mem_src(info, state.pointee.input, UInt(state.pointee.inputCount))
        _ = jpeg_read_header(info, 1)
        let width = Int(info.pointee.image_width), height = Int(info.pointee.image_height)
        state.pointee.width = width
        state.pointee.height = height
        guard width > 0, height > 0, width * height <= Image.maximumPixels else {
            state.pointee.failure = 2
            return
        }
        switch info.pointee.jpeg_color_space {
        case JCS_GRAYSCALE: info.pointee.out_color_space = JCS_GRAYSCALE
        case JCS_CMYK, JCS_YCCK:
            info.pointee.out_color_space = JCS_CMYK
            state.pointee.isCMYK = true
        default: info.pointee.out_color_space = JCS_RGB
        }
        _ = jpeg_start_decompress(info)
        let components = Int(info.pointee.output_components)
        let rowBytes = Int(info.pointee.output_width) * components
        let rows = Int(info.pointee.output_height)
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: rowBytes * rows)
        state.pointee.output = output
        state.pointee.components = components
        var row: UnsafeMutablePointer<UInt8>? = output
        while info.pointee.output_scanline < info.pointee.output_height {
            row = output + Int(info.pointee.output_scanline) * rowBytes
            _ = jpeg_read_scanlines(info, &row, 1)
        }
        _ = jpeg_finish_decompress(info)
        jpeg_destroy_decompress(info)
    }
}
