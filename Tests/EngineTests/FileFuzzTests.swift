import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import Engine

/// Thousands of mutated files through every reader the engine has: PNG, JPEG, pickle, torch
/// checkpoints (zip and legacy), safetensors and .npy. Each decode must give a sane value or
/// throw an `EngineError`; a crash, a trap or a hang fails the suite (it stops the process).
///
/// Seeds are valid files built here, mutated by `ByteMutator` from fixed seeds, so every run
/// tries the same inputs. To find which input stopped the process, set CONVLENS_FUZZ_DUMP to a
/// folder: each input is written there (as <format>.bin) before it is decoded. To fuzz deeper,
/// set CONVLENS_FUZZ_ITERATIONS (per format; the default keeps the class well under a minute
/// in a debug build), and CONVLENS_FUZZ_SEED to try other inputs than the suite's. With
/// CONVLENS_FUZZ_VERBOSE every refusal is printed, to see how deep the mutants get.
final class FileFuzzTests: XCTestCase {
    static let iterations: Int = {
        ProcessInfo.processInfo.environment["CONVLENS_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 5_000
    }()

    /// A single decode using more CPU than this counts as a hang (debug build; release is
    /// several times faster). Mutants may legitimately declare tens of megapixels (a truncated
    /// JPEG is decoded, its missing part gray), which takes about a second in a debug build.
    /// Budgets are CPU time of the decoding thread, not wall time, so a machine busy with other
    /// work does not fail the suite.
    static let slowDecodeLimit: TimeInterval = 5
    /// CPU seconds per 1,000 mutants of one format; a debug build uses a tenth of a second or less.
    static let budgetPerThousand: TimeInterval = 2

    /// CPU time used by the calling thread (decoders run on it, including on `CContextSwitch`'s stack).
    static func threadCPUTime() -> TimeInterval {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return TimeInterval(time.tv_sec) + TimeInterval(time.tv_nsec) / 1e9
    }

    // MARK: - The fuzzing loop

    private struct Outcome: CustomStringConvertible {
        var decoded = 0
        var refused = 0
        var slowest: TimeInterval = 0
        var cpu: TimeInterval = 0
        var wall: TimeInterval = 0
        var description: String {
            "\(decoded) decoded, \(refused) refused, slowest \(String(format: "%.1f", slowest * 1000)) ms CPU, "
                + "total \(String(format: "%.2f", cpu)) s CPU, \(String(format: "%.2f", wall)) s wall"
        }
    }

    /// Decodes the degenerate files and every seed, then `iterations` mutants of the seeds (a
    /// quarter of them mutants of the previous mutant, so edits stack up). `repair` fixes
    /// checksums in three mutants out of four; `structured`, when given, makes half the mutants
    /// by editing inside the format's structure (e.g. a header, keeping its length field right).
    /// `decode` returns nil for a sane value or says what is wrong.
    private func fuzz(_ format: String, seeds: [[UInt8]], dictionary: [[UInt8]], seed: UInt64,
                      repair: ([UInt8]) -> [UInt8] = { $0 },
                      structured: ((inout ByteMutator, [UInt8]) -> [UInt8]?)? = nil,
                      decode: ([UInt8]) throws -> String?,
                      file: StaticString = #filePath, line: UInt = #line) -> Outcome {
        let offset = ProcessInfo.processInfo.environment["CONVLENS_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0
        var mutator = ByteMutator(seed: seed &+ offset)
        var outcome = Outcome()
        let dumpPath = ProcessInfo.processInfo.environment["CONVLENS_FUZZ_DUMP"].map { "\($0)/\(format).bin" }
        let verbose = ProcessInfo.processInfo.environment["CONVLENS_FUZZ_VERBOSE"] != nil
        let started = Date(), startedCPU = FileFuzzTests.threadCPUTime()
        var previous = seeds.first ?? []
        let unmutated = FileFuzzTests.degenerate + seeds
        for iteration in -unmutated.count..<FileFuzzTests.iterations {
            let input: [UInt8]
            if iteration < 0 {
                input = unmutated[iteration + unmutated.count]
            } else {
                let base = mutator.integer(below: 4) == 0 ? previous : mutator.pick(seeds)
                var mutated = mutator.mutate(base, dictionary: dictionary)
                if let structured, mutator.integer(below: 2) == 0, let edited = structured(&mutator, base) { mutated = edited }
                input = mutator.integer(below: 4) == 0 ? mutated : repair(mutated)
                previous = input
            }
            if let dumpPath { FileManager.default.createFile(atPath: dumpPath, contents: Data(input)) }
            let decodeStart = FileFuzzTests.threadCPUTime()
            do {
                if let problem = try decode(input) {
                    XCTFail("\(format) input \(iteration) decoded to an insane value: \(problem); \(describe(input))", file: file, line: line)
                }
                outcome.decoded += 1
            } catch let error as EngineError {
                if verbose { print("FileFuzzTests \(format) refused: \(error)") }
                outcome.refused += 1
            } catch {
                XCTFail("\(format) input \(iteration) threw a non-engine error \(error); \(describe(input))", file: file, line: line)
            }
            let duration = FileFuzzTests.threadCPUTime() - decodeStart
            outcome.slowest = max(outcome.slowest, duration)
            XCTAssertLessThan(duration, FileFuzzTests.slowDecodeLimit, "\(format) input \(iteration) took \(duration) s of CPU; \(describe(input))", file: file, line: line)
        }
        outcome.cpu = FileFuzzTests.threadCPUTime() - startedCPU
        outcome.wall = Date().timeIntervalSince(started)
        print("FileFuzzTests \(format): \(outcome)")
        XCTAssertGreaterThan(outcome.decoded, 0, "\(format): no mutant decoded; the seeds or the repair are broken", file: file, line: line)
        XCTAssertGreaterThan(outcome.refused, FileFuzzTests.iterations / 20, "\(format): mutants are hardly ever refused; is the mutator working?", file: file, line: line)
        let budget = FileFuzzTests.budgetPerThousand * Double(max(FileFuzzTests.iterations, 1_000)) / 1_000
        XCTAssertLessThan(outcome.cpu, budget, "\(format) fuzzing took \(outcome.cpu) s of CPU", file: file, line: line)
        return outcome
    }

    private func describe(_ bytes: [UInt8]) -> String {
        "\(bytes.count) bytes: " + bytes.prefix(48).map { String(format: "%02x", $0) }.joined() + (bytes.count > 48 ? "..." : "")
    }

    // MARK: - What a sane value is

    static func problem(with image: Image) -> String? {
        guard image.channels == 1 || image.channels == 3 else { return "\(image.channels) channels" }
        guard image.width > 0, image.height > 0, image.width * image.height <= Image.maximumPixels else {
            return "size \(image.width)x\(image.height)"
        }
        guard image.pixels.count == image.width * image.height * image.channels else {
            return "\(image.pixels.count) values for \(image.width)x\(image.height)x\(image.channels)"
        }
        if let bad = image.pixels.first(where: { !$0.isFinite || $0 < 0 || $0 > 1 }) { return "pixel value \(bad)" }
        return nil
    }

    static func problem(with weights: NamedWeights) -> String? {
        guard weights.count == Set(weights.names).count else { return "duplicate names" }
        for name in weights.names {
            guard let array = weights[name] else { return "'\(name)' listed but missing" }
            guard let count = CheckedArithmetic.product(array.shape), count == array.values.count else {
                return "'\(name)' has shape \(array.shape) and \(array.values.count) values"
            }
        }
        return nil
    }

    static func problem(with array: NpyArray) -> String? {
        guard let count = CheckedArithmetic.product(array.shape), count == array.values.count else {
            return "shape \(array.shape) with \(array.values.count) values"
        }
        return nil
    }

    // MARK: - Formats

    /// Decoded once by every format's run: empty, one byte, and each format's first byte alone.
    static let degenerate: [[UInt8]] = [[], [0x00], [0xFF], [0x80], [0x93], [0x50], [0x89]]

    func testPNGMutantsDecodeOrThrow() throws {
        var seeds = [FuzzSeeds.pngOfSize(width: 100_000, height: 100_000)]
        seeds += try FuzzSeeds.pngs()
        _ = fuzz("png", seeds: seeds, dictionary: FuzzSeeds.pngDictionary, seed: 101,
                 repair: FuzzSeeds.fixPNGChecksums) { bytes in
            Self.problem(with: try PNGCodec.decode(bytes, source: "fuzz.png"))
        }
    }

    func testJPEGMutantsDecodeOrThrow() throws {
        let seeds = try FuzzSeeds.jpegs()
        _ = fuzz("jpeg", seeds: seeds, dictionary: FuzzSeeds.jpegDictionary, seed: 202) { bytes in
            // The orientation reader alone, on any bytes (JPEGCodec only calls it on files libjpeg read).
            _ = ExifOrientation(jpeg: bytes)
            return Self.problem(with: try JPEGCodec.decode(bytes, source: "fuzz.jpg"))
        }
    }

    func testPickleMutantsDecodeOrThrow() {
        let seeds = [PickleFixtures.numpyProtocol2, PickleFixtures.numpyProtocol3, FuzzSeeds.plainPickle]
        _ = fuzz("pickle", seeds: seeds, dictionary: FuzzSeeds.pickleDictionary, seed: 303) { bytes in
            Self.problem(with: try WeightFile.decode(bytes, source: "fuzz.pkl"))
        }
    }

    func testTorchCheckpointMutantsDecodeOrThrow() {
        let seeds = [PickleFixtures.torchZip, PickleFixtures.torchLegacy]
        _ = fuzz("torch", seeds: seeds, dictionary: FuzzSeeds.zipDictionary + FuzzSeeds.pickleDictionary, seed: 404) { bytes in
            Self.problem(with: try WeightFile.decode(bytes, source: "fuzz.pt"))
        }
    }

    func testSafetensorsMutantsDecodeOrThrow() throws {
        let seeds = try FuzzSeeds.safetensors()
        _ = fuzz("safetensors", seeds: seeds, dictionary: FuzzSeeds.jsonDictionary, seed: 505,
                 structured: FuzzSeeds.mutateSafetensorsHeader) { bytes in
            Self.problem(with: try WeightFile.decode(bytes, source: "fuzz.safetensors"))
        }
    }

    func testNpyMutantsDecodeOrThrow() throws {
        let seeds = try FuzzSeeds.npys()
        _ = fuzz("npy", seeds: seeds, dictionary: FuzzSeeds.npyDictionary, seed: 606,
                 structured: FuzzSeeds.mutateNpyHeader) { bytes in
            Self.problem(with: try NpyArray.decode(bytes, source: "fuzz.npy"))
        }
    }

    // MARK: - Regressions

    /// Inputs the fuzzer found that stopped the process before their fix, as they were found
    /// (the PNG one is in `testHugeDeclaredImagesAreRefusedBeforeAllocating`).
    func testSafetensorsOffsetsThatAreNotWholeNumbersAreRefused() throws {
        // Found: the I64 entry's end offset 16 replaced by 1e300, which NSNumber.intValue made
        // Int.min; Int.min - 8 trapped.
        let found = FuzzSeeds.safetensorsFile(
            header: #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1,2],"data_offsets":[4,8]},"#
                + #""i":{"dtype":"I64","shape":[1],"data_offsets":[8,1e300]},"k":{"dtype":"BOOL","shape":[0,3],"data_offsets":[16,16]}}"#,
            data: [0x00, 0x3C, 0x00, 0xC0, 0x80, 0x3F, 0x00, 0x40, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertThrowsError(try WeightFile.decode(found, source: "found.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("'i'") && "\(error)".contains("whole numbers"), "\(error)")
        }
        // Its relatives: offsets and shapes that overflow, wrap, or are not integers.
        let data = [UInt8](repeating: 0, count: 8)
        for (shape, offsets) in [("[2]", "[1,-9223372036854775808]"), ("[2]", "[0,18446744073709551616]"), ("[2]", "[0.5,8]"),
                                 ("[2]", "[-1e300,8]"), ("[1e300]", "[0,8]"), ("[2,\"x\"]", "[0,8]"), ("[4294967296,4294967296]", "[0,8]"),
                                 ("[2]", "[8,0]"), ("[-2]", "[0,8]")] {
            let file = FuzzSeeds.safetensorsFile(header: #"{"w":{"dtype":"F32","shape":"# + shape + #","data_offsets":"# + offsets + "}}", data: data)
            XCTAssertThrowsError(try WeightFile.decode(file, source: "bad.safetensors"), "shape \(shape), offsets \(offsets)") { error in
                XCTAssertTrue("\(error)".contains("'w'"), "\(error)")
            }
        }
        // The same entry with sane numbers reads.
        let good = FuzzSeeds.safetensorsFile(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])
        XCTAssertEqual(try WeightFile.decode(good, source: "good.safetensors")["w"]?.values, [1, -2])
    }

    func testPNGChunkLongerThanTheFileIsRefusedBeforeLibpngAllocatesIt() throws {
        // Found: the interlaced seed's zTXt length set to 0x5A000013 (1.5 GB) in a 458-byte file.
        // libpng allocated and zeroed the whole buffer (a second of memset) before finding the
        // file too short.
        guard let seed = try FuzzSeeds.pngs().last,
              let zTXt = (8..<(seed.count - 4)).first(where: { Array(seed[$0..<($0 + 4)]) == Array("zTXt".utf8) }) else {
            return XCTFail("the interlaced seed has no zTXt chunk")
        }
        for length: [UInt8] in [[0x5A, 0x00, 0x00, 0x13], [0x7F, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x10, 0x00]] {
            var found = seed
            found.replaceSubrange((zTXt - 4)..<zTXt, with: length)
            let started = Self.threadCPUTime()
            XCTAssertThrowsError(try PNGCodec.decode(found, source: "found.png")) { error in
                XCTAssertTrue("\(error)".contains("found.png") && "\(error)".contains("chunk 'zTXt' declares"), "\(error)")
            }
            XCTAssertLessThan(Self.threadCPUTime() - started, 0.1)
        }
        // The seed itself still reads, zTXt and all.
        XCTAssertEqual(try PNGCodec.decode(seed, source: "seed.png").width, 9)
    }

    // MARK: - Degenerate files and bombs

    func testEmptyAndOneByteFilesAreRefusedByEveryReader() {
        for bytes in [[], [0x89], [0xFF], [0x80], [0x93]] as [[UInt8]] {
            XCTAssertThrowsError(try PNGCodec.decode(bytes, source: "x.png"), "\(bytes)")
            XCTAssertThrowsError(try JPEGCodec.decode(bytes, source: "x.jpg"), "\(bytes)")
            XCTAssertThrowsError(try ImageFile.decode(bytes, source: "x.img"), "\(bytes)")
            XCTAssertThrowsError(try WeightFile.decode(bytes, source: "x.pt"), "\(bytes)")
            XCTAssertThrowsError(try Safetensors.decode(bytes, source: "x.safetensors"), "\(bytes)")
            XCTAssertThrowsError(try NpyArray.decode(bytes, source: "x.npy"), "\(bytes)")
        }
    }

    func testHugeDeclaredImagesAreRefusedBeforeAllocating() throws {
        // 10^10 pixels would be 120 GB of floats: refused from the header, in well under a second.
        let started = Self.threadCPUTime()
        // The last two multiply past Int.max (the first a fuzzer find that trapped the size check).
        for (width, height) in [(100_000, 100_000), (50_001, 1_000), (0x7FFF_FFFF, 0x7FFF_FFFF), (0xC716_8206, 0xAB00_0000), (0xFFFF_FFFF, 0xFFFF_FFFF)] {
            XCTAssertThrowsError(try PNGCodec.decode(FuzzSeeds.pngOfSize(width: width, height: height), source: "bomb.png")) { error in
                XCTAssertTrue("\(error)".contains("megapixel limit") && "\(error)".contains("bomb.png"), "\(error)")
            }
        }
        // JPEG dimensions are 16-bit: 65000 x 65000 is 4.2 gigapixels.
        let jpeg = try FuzzSeeds.jpegWithSize(width: 65_000, height: 65_000)
        XCTAssertThrowsError(try JPEGCodec.decode(jpeg, source: "bomb.jpg")) { error in
            XCTAssertTrue("\(error)".contains("megapixel limit") && "\(error)".contains("65000x65000"), "\(error)")
        }
        XCTAssertLessThan(Self.threadCPUTime() - started, 1)
    }

    func testProgressiveJPEGWithTooManyScansIsRefused() throws {
        // The last scan of a progressive file (an AC refinement) repeated: libjpeg warns about
        // the bogus progression and decodes on, one pass over the image per scan.
        let progressive = try TestJPEG.encode(try FuzzSeeds.picture(width: 24, height: 16, channels: 3), progressive: true)
        guard let lastScan = (0..<(progressive.count - 1)).last(where: { progressive[$0] == 0xFF && progressive[$0 + 1] == 0xDA }),
              Array(progressive.suffix(2)) == [0xFF, 0xD9] else {
            return XCTFail("the encoder wrote no scan or no EOI")
        }
        let scan = Array(progressive[lastScan..<(progressive.count - 2)])
        let scanCount = (0..<(progressive.count - 1)).filter { progressive[$0] == 0xFF && progressive[$0 + 1] == 0xDA }.count
        func repeated(_ extra: Int) -> [UInt8] {
            Array(progressive.dropLast(2)) + Array((0..<extra).map { _ in scan }.joined()) + [0xFF, 0xD9]
        }
        // At the limit it decodes; one scan more is refused.
        let atLimit = try JPEGCodec.decode(repeated(JPEGCodec.maximumScans - scanCount), source: "many.jpg")
        XCTAssertEqual([atLimit.width, atLimit.height], [24, 16])
        let started = Self.threadCPUTime()
        XCTAssertThrowsError(try JPEGCodec.decode(repeated(JPEGCodec.maximumScans - scanCount + 1), source: "scans.jpg")) { error in
            XCTAssertTrue("\(error)".contains("scans.jpg") && "\(error)".contains("more than \(JPEGCodec.maximumScans) scans"), "\(error)")
        }
        XCTAssertThrowsError(try JPEGCodec.decode(repeated(5_000), source: "scans.jpg"))
        XCTAssertLessThan(Self.threadCPUTime() - started, 2)
    }

    func testZlibBombsInflateOnlyWhatTheImageNeeds() throws {
        // 10 MB of zeros in a 62 KB IDAT for a 64x64 gray image (4,160 bytes of rows): libpng
        // inflates what the rows need and stops; the image is black.
        let idat = ZlibBomb.zeros(matches: 40_000)
        XCTAssertLessThan(idat.count, 70_000)
        let ihdr = DrawingTestPNG.bigEndian(64) + DrawingTestPNG.bigEndian(64) + [8, 0, 0, 0, 0]
        let bomb = PNGCodec.signature + DrawingTestPNG.chunk("IHDR", ihdr) + DrawingTestPNG.chunk("IDAT", idat) + DrawingTestPNG.chunk("IEND", [])
        var started = Self.threadCPUTime()
        let image = try PNGCodec.decode(bomb, source: "idat-bomb.png")
        XCTAssertLessThan(Self.threadCPUTime() - started, 1)
        XCTAssertEqual([image.width, image.height, image.channels], [64, 64, 1])
        XCTAssertEqual(image.pixels.max(), 0)

        // 20 MB of text in a zTXt chunk: over `PNGCodec.maximumChunkExpansion`, so libpng drops
        // the chunk (a benign error on an ancillary chunk) and the image still reads.
        let text = Array("Comment".utf8) + [0, 0] + ZlibBomb.zeros(matches: 80_000)
        var withText = try PNGCodec.encode(try Image(width: 4, height: 2, channels: 1, pixels: [0, 0.2, 0.4, 0.6, 0.8, 1, 1, 0]))
        withText.insert(contentsOf: DrawingTestPNG.chunk("zTXt", text), at: 33) // after IHDR (8 + 25 bytes)
        started = Self.threadCPUTime()
        let decoded = try PNGCodec.decode(withText, source: "ztxt-bomb.png")
        XCTAssertLessThan(Self.threadCPUTime() - started, 1)
        XCTAssertEqual(decoded.pixels.map { ($0 * 255).rounded() }, [0, 51, 102, 153, 204, 255, 255, 0])
    }
}
