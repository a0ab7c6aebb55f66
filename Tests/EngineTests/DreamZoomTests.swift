import XCTest
@testable import Engine

/// Iterate-and-zoom DeepDream and the animated PNG its frames are saved as.
final class DreamZoomTests: XCTestCase {
    /// Zooming 50% into a 4x4 image keeps its centre 2x2 and resizes it back: each kept pixel
    /// becomes a 2x2 block's worth (bilinear, half-pixel centres, so the corners keep their values).
    func testZoomKeepsTheCentre() throws {
        let pixels = (0..<16).map { Float($0) / 15 }
        let image = try Image(width: 4, height: 4, channels: 1, pixels: pixels)
        let zoomed = try DreamZoom.zoomed(image, percent: 50)
        XCTAssertEqual(zoomed.width, 4)
        XCTAssertEqual(zoomed.height, 4)
        let centre = try Image(width: 2, height: 2, channels: 1, pixels: [5, 6, 9, 10].map { Float($0) / 15 })
        XCTAssertEqual(zoomed.pixels, try centre.resized(width: 4, height: 4).pixels)
        XCTAssertEqual(zoomed.pixels[0], 5 / 15, accuracy: 1e-6)
        XCTAssertEqual(zoomed.pixels[15], 10 / 15, accuracy: 1e-6)
        XCTAssertThrowsError(try DreamZoom.run(network: toyNetwork(), image: image, layer: "conv", zoom: 0, frames: 2))
        XCTAssertThrowsError(try DreamZoom.run(network: toyNetwork(), image: image, layer: "conv", zoom: 5, frames: 0))
    }

    private func toyNetwork() throws -> TechniqueToyNetwork {
        let weight = try Tensor(shape: [4, 3, 3, 3], data: techniqueRandomValues(108, seed: 91))
        return TechniqueToyNetwork(height: 40, width: 40, channels: 3, stages: [
            .init("conv", [4, 40, 40]) { try $0.conv2d(weight: weight, bias: nil, stride: 1, padding: .symmetric(1)).relu() },
        ], classes: 0, scale: 2, offset: 0.5)
    }

    /// k frames, each dreamed on the zoomed previous one; same seed, same bytes.
    func testFramesAreSeededAndEachStartsFromTheZoomedLast() throws {
        let network = try toyNetwork()
        let start = try Image(width: 40, height: 40, channels: 3, pixels: techniqueRandomValues(4800, seed: 92).map { 0.5 + 0.3 * $0 })
        let options = DeepDream.Options(stepsPerOctave: 2, octaves: 1, seed: 3)
        var reports = 0
        let run = try DreamZoom.run(network: network, image: start, layer: "conv", zoom: 10, frames: 3, options: options) { _, frames, _, _, _ in
            XCTAssertEqual(frames, 3)
            reports += 1
        }
        XCTAssertEqual(run.frames.count, 3)
        XCTAssertFalse(run.interrupted)
        XCTAssertEqual(reports, 6)
        let again = try DreamZoom.run(network: network, image: start, layer: "conv", zoom: 10, frames: 3, options: options)
        XCTAssertEqual(run.frames.map(\.pixels), again.frames.map(\.pixels))
        // Frame 2 is a dream on frame 1 zoomed in, with the seed advanced by one.
        var second = options
        second.seed = 4
        let expected = try DeepDream.run(network: network, image: try DreamZoom.zoomed(run.frames[0], percent: 10), layer: "conv", options: second)
        XCTAssertEqual(run.frames[1].pixels, expected.image.pixels)
        XCTAssertNotEqual(run.frames[1].pixels, run.frames[0].pixels)
    }

    /// acTL says k frames; k fcTL, k - 1 fdAT, sequence numbers 0, 1, ... in file order; every CRC
    /// checks; the IDAT (first frame) decodes to frame 0 and each fdAT's data is that frame's IDAT.
    func testAnimatedPNGChunks() throws {
        let frames = try (0..<3).map { index in
            try Image(width: 5, height: 4, channels: 3, pixels: (0..<60).map { Float(($0 * 7 + index * 50) % 256) / 255 })
        }
        let bytes = try AnimatedPNG.encode(frames, delay: 0.25)
        XCTAssertTrue(PNGCodec.isPNG(bytes))
        let chunks = try AnimatedPNG.chunks(of: bytes)
        XCTAssertEqual(chunks.map(\.type).first, "IHDR")
        XCTAssertEqual(chunks.map(\.type).last, "IEND")
        let actl = try XCTUnwrap(chunks.first { $0.type == "acTL" })
        XCTAssertEqual(actl.data, [0, 0, 0, 3, 0, 0, 0, 0])
        XCTAssertEqual(chunks.filter { $0.type == "fcTL" }.count, 3)
        XCTAssertEqual(chunks.filter { $0.type == "fdAT" }.count, 2)
        let sequences = chunks.filter { $0.type == "fcTL" || $0.type == "fdAT" }.map { chunk in
            chunk.data.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        }
        XCTAssertEqual(sequences, [0, 1, 2, 3, 4])
        let fctl = chunks.first { $0.type == "fcTL" }?.data ?? []
        XCTAssertEqual(Array(fctl[4..<12]), [0, 0, 0, 5, 0, 0, 0, 4])
        XCTAssertEqual(Array(fctl[20..<24]), [0, 25, 0, 100])
        // CRC of "IEND" is the well-known AE 42 60 82.
        XCTAssertEqual(AnimatedPNG.crc32(Array("IEND".utf8)), 0xAE42_6082)
        var offset = 8
        while offset < bytes.count {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let crc = bytes[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            XCTAssertEqual(AnimatedPNG.crc32(Array(bytes[(offset + 4)..<(offset + 8 + length)])), crc)
            offset += 12 + length
        }
        XCTAssertEqual(try PNGCodec.decode(bytes).pixels, try PNGCodec.decode(try PNGCodec.encode(frames[0])).pixels)
        let fdat = chunks.filter { $0.type == "fdAT" }
        for (index, chunk) in fdat.enumerated() {
            let own = try AnimatedPNG.chunks(of: try PNGCodec.encode(frames[index + 1])).filter { $0.type == "IDAT" }.flatMap(\.data)
            XCTAssertEqual(Array(chunk.data.dropFirst(4)), own)
        }
        XCTAssertThrowsError(try AnimatedPNG.encode([]))
        XCTAssertThrowsError(try AnimatedPNG.encode([frames[0], try Image(width: 2, height: 2, channels: 3, value: 0)]))
    }
}
