import CJPEG
import Foundation
@testable import Engine

/// Baseline JPEG files written by libjpeg for the tests (the engine itself only decodes JPEG).
///
/// Chroma is not subsampled (every component 1x1), so flat colour blocks aligned to the 8x8 DCT
/// blocks come back within a few levels at quality 100. libjpeg's fatal errors must not return;
/// as in `JPEGCodec`, the error handler abandons the encode through `CContextSwitch`, and all
/// the encode touches lives in manually allocated memory.
enum TestJPEG {
    private struct EncodeState {
        var compressor = jpeg_compress_struct()
        var errorManager = jpeg_error_mgr()
        var pixels: UnsafeMutablePointer<UInt8>?
        var width = 0
        var height = 0
        var components = 0
        var quality: Int32 = 100
        var progressive = false
        /// Filled by `jpeg_mem_dest` with memory from malloc.
        var output: UnsafeMutablePointer<UInt8>?
        var outputSize: UInt = 0
        var failed = false
    }

    nonisolated(unsafe) private static var state: UnsafeMutablePointer<EncodeState>?
    private static let lock = NSLock()

    /// The image as JPEG bytes (values clamped to 0...1 and rounded to 8 bits); progressive files
    /// hold libjpeg's standard series of scans (`jpeg_simple_progression`).
    static func encode(_ image: Image, quality: Int = 100, progressive: Bool = false) throws -> [UInt8] {
        let encodeState = UnsafeMutablePointer<EncodeState>.allocate(capacity: 1)
        encodeState.initialize(to: EncodeState())
        let pixels = UnsafeMutablePointer<UInt8>.allocate(capacity: image.pixels.count)
        for (index, value) in image.pixels.enumerated() {
            pixels[index] = UInt8((min(max(value.isNaN ? 0 : value, 0), 1) * 255).rounded())
        }
        encodeState.pointee.pixels = pixels
        encodeState.pointee.width = image.width
        encodeState.pointee.height = image.height
        encodeState.pointee.components = image.channels
        encodeState.pointee.quality = Int32(min(max(quality, 1), 100))
        encodeState.pointee.progressive = progressive
        defer {
            jpeg_destroy_compress(&encodeState.pointee.compressor)
            free(encodeState.pointee.output)
            encodeState.deinitialize(count: 1)
            encodeState.deallocate()
            pixels.deallocate()
        }
        let completed: Bool = try {
            lock.lock()
            state = encodeState
            defer { state = nil; lock.unlock() }
            return try CContextSwitch.run(encodeRoutine)
        }()
        let result = encodeState.pointee
        guard completed, !result.failed, let output = result.output else {
            throw EngineError.format("test JPEG encoding failed")
        }
        return Array(UnsafeBufferPointer(start: output, count: Int(result.outputSize)))
    }

    private static let errorExit: @convention(c) (j_common_ptr?) -> Void = { _ in
        TestJPEG.state?.pointee.failed = true
        CContextSwitch.abandon()
    }

    private static let encodeRoutine: @convention(c) () -> Void = {
        guard let state = TestJPEG.state else { return }
        TestJPEG.encodeSteps(state)
    }

    private static func encodeSteps(_ state: UnsafeMutablePointer<EncodeState>) {
        let raw = UnsafeMutableRawPointer(state)
        let info = (raw + (MemoryLayout<EncodeState>.offset(of: \EncodeState.compressor) ?? 0)).assumingMemoryBound(to: jpeg_compress_struct.self)
        let errors = (raw + (MemoryLayout<EncodeState>.offset(of: \EncodeState.errorManager) ?? 0)).assumingMemoryBound(to: jpeg_error_mgr.self)
        let output = (raw + (MemoryLayout<EncodeState>.offset(of: \EncodeState.output) ?? 0)).assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self)
        let outputSize = (raw + (MemoryLayout<EncodeState>.offset(of: \EncodeState.outputSize) ?? 0)).assumingMemoryBound(to: UInt.self)
        info.pointee.err = jpeg_std_error(errors)
        errors.pointee.error_exit = errorExit
        jpeg_CreateCompress(info, JPEG_LIB_VERSION, MemoryLayout<jpeg_compress_struct>.size)
        jpeg_mem_dest(info, output, outputSize)
        let components = state.pointee.components
        info.pointee.image_width = JDIMENSION(state.pointee.width)
        info.pointee.image_height = JDIMENSION(state.pointee.height)
        info.pointee.input_components = Int32(components)
        info.pointee.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB
        jpeg_set_defaults(info)
        jpeg_set_quality(info, state.pointee.quality, 1)
        if let componentInfo = info.pointee.comp_info {
            for index in 0..<Int(info.pointee.num_components) {
                componentInfo[index].h_samp_factor = 1
                componentInfo[index].v_samp_factor = 1
            }
        }
        if state.pointee.progressive { jpeg_simple_progression(info) }
        jpeg_start_compress(info, 1)
        guard let pixels = state.pointee.pixels else { return }
        let rowBytes = state.pointee.width * components
        while info.pointee.next_scanline < info.pointee.image_height {
            var row: JSAMPROW? = pixels + Int(info.pointee.next_scanline) * rowBytes
            _ = jpeg_write_scanlines(info, &row, 1)
        }
        jpeg_finish_compress(info)
    }
}
