import Foundation
@testable import Engine

/// Valid files of every format the engine reads, for `FileFuzzTests` to mutate, and each
/// format's dictionary: tokens a mutator should try whole (markers, opcodes, numbers that
/// overflow), since random bytes would almost never spell them.
enum FuzzSeeds {
    // MARK: - PNG

    /// A colourful little picture (every value distinct, so decoding mistakes show).
    static func picture(width: Int, height: Int, channels: Int) throws -> Image {
        try Image(width: width, height: height, channels: channels,
                  pixels: (0..<(width * height * channels)).map { Float(($0 * 37 + 11) % 256) / 255 })
    }

    static func pngs() throws -> [[UInt8]] {
        var seeds = [try PNGCodec.encode(try picture(width: 12, height: 10, channels: 3)),
                     try PNGCodec.encode(try picture(width: 9, height: 7, channels: 1)),
                     ImageFixtures.gray16PNG, ImageFixtures.rgbaPNG, ImageFixtures.palettePNG]
        var palette = TestPNG(width: 7, height: 5, bitDepth: 4, colorType: .palette, samples: (0..<35).map { $0 % 5 })
        palette.palette = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [9, 9, 9], [200, 100, 50]]
        palette.transparency = [0, 128]
        seeds.append(palette.bytes())
        var interlaced = TestPNG(width: 9, height: 9, bitDepth: 16, colorType: .grayAlpha, samples: (0..<162).map { $0 * 400 })
        interlaced.interlaced = true
        interlaced.extraChunks = [("gAMA", [0, 0, 0xB1, 0x8F]), ("zTXt", Array("Title".utf8) + [0, 0] + ZlibBomb.zeros(matches: 2))]
        seeds.append(interlaced.bytes())
        return seeds
    }

    /// A PNG whose IHDR declares `width` x `height` (with a correct CRC) and whose IDAT is tiny.
    static func pngOfSize(width: Int, height: Int) -> [UInt8] {
        let ihdr = DrawingTestPNG.bigEndian(UInt32(width)) + DrawingTestPNG.bigEndian(UInt32(height)) + [8, 2, 0, 0, 0]
        return PNGCodec.signature + DrawingTestPNG.chunk("IHDR", ihdr) + DrawingTestPNG.chunk("IDAT", ZlibBomb.zeros(matches: 4))
            + DrawingTestPNG.chunk("IEND", [])
    }

    /// Recomputes every chunk's CRC, so a mutant reaches libpng's parsers instead of stopping at
    /// the checksum of a critical chunk (PNG 1.2 §5.3: length, type, data, CRC of type and data).
    static func fixPNGChecksums(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        var offset = 8
        while offset + 12 <= result.count {
            let length = Int(result[offset]) << 24 | Int(result[offset + 1]) << 16 | Int(result[offset + 2]) << 8 | Int(result[offset + 3])
            guard length <= result.count - offset - 12 else { break }
            let crc = DrawingTestPNG.crc32(Array(result[(offset + 4)..<(offset + 8 + length)]))
            result.replaceSubrange((offset + 8 + length)..<(offset + 12 + length), with: DrawingTestPNG.bigEndian(crc))
            offset += 12 + length
        }
        return result
    }

    static let pngDictionary: [[UInt8]] = ["IHDR", "IDAT", "IEND", "PLTE", "tRNS", "zTXt", "iCCP", "iTXt", "tEXt", "sBIT", "gAMA", "sPLT"]
        .map { Array($0.utf8) } + [
        [0x7F, 0xFF, 0xFF, 0xFF], [0, 0, 0, 0], [0x00, 0x01, 0x86, 0xA0], // lengths; 100000
        [8, 6, 0, 0, 1], [16, 3, 0, 0, 0], [1, 0, 0, 0, 0], [2, 4, 0, 0, 1], // depth, colour type, methods, interlace
        [0x78, 0x01], [0x78, 0x9C], [0x01, 0x00, 0x00, 0xFF, 0xFF], // zlib headers, a stored block
    ]

    // MARK: - JPEG

    static func jpegs() throws -> [[UInt8]] {
        let colour = try picture(width: 24, height: 16, channels: 3)
        let baseline = try TestJPEG.encode(colour, quality: 90)
        return [
            baseline,
            try TestJPEG.encode(colour, quality: 75, progressive: true),
            try TestJPEG.encode(try picture(width: 17, height: 9, channels: 1), quality: 95),
            TestExif.splice(TestExif.segment(orientation: 6, bigEndian: false), into: baseline),
            TestExif.splice(TestExif.segment(orientation: 7, bigEndian: true), into: try TestJPEG.encode(colour, quality: 50, progressive: true)),
            ImageFixtures.rgbJPEG, ImageFixtures.grayJPEG,
            try jpegWithSize(width: 65_000, height: 65_000),
        ]
    }

    /// A small baseline JPEG whose SOF0 declares `width` x `height`.
    static func jpegWithSize(width: Int, height: Int) throws -> [UInt8] {
        var bytes = try TestJPEG.encode(try picture(width: 8, height: 8, channels: 3))
        guard let sof = (0..<(bytes.count - 9)).first(where: { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 }) else {
            throw EngineError.format("the test encoder wrote no SOF0 marker")
        }
        // FF C0, length (2), precision (1), height (2), width (2): ITU T.81 §B.2.2.
        bytes.replaceSubrange((sof + 5)..<(sof + 9), with: [UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF)])
        return bytes
    }

    static let jpegDictionary: [[UInt8]] = [
        [0xFF, 0xC0], [0xFF, 0xC1], [0xFF, 0xC2], [0xFF, 0xC3], [0xFF, 0xC4], [0xFF, 0xDB], [0xFF, 0xDA], [0xFF, 0xD9],
        [0xFF, 0xD8], [0xFF, 0xDD, 0x00, 0x04, 0x00, 0x01], [0xFF, 0xD0], [0xFF, 0xE1], [0xFF, 0xEE], [0xFF, 0xFE],
        [0xFF, 0xFF, 0xFF], [0x00, 0x00], [0xFF, 0xFF], [0x03, 0x01, 0x22, 0x00], [0x04, 0x01, 0x11, 0x00],
        Array("Exif".utf8) + [0, 0], Array("MM".utf8) + [0, 42, 0, 0, 0, 8], Array("II".utf8) + [42, 0, 8, 0, 0, 0],
        [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06], [0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00],
        Array("Adobe".utf8) + [0, 100, 0, 0, 0, 0, 2],
    ]

    // MARK: - Pickle and torch

    /// A protocol 2 pickle of plain data: {'a': [1, 2.5, 'x', (None, True)], 'b': b'\x00\x01'}.
    static let plainPickle: [UInt8] = [0x80, 0x02, 0x7D, 0x71, 0x00, 0x28]
        + [0x58, 1, 0, 0, 0, 0x61] + [0x5D, 0x71, 0x01, 0x28, 0x4B, 0x01, 0x47, 0x40, 0x04, 0, 0, 0, 0, 0, 0]
        + [0x8C, 1, 0x78, 0x4E, 0x88, 0x86, 0x65]
        + [0x58, 1, 0, 0, 0, 0x62, 0x43, 2, 0, 1, 0x75, 0x2E]

    static let pickleDictionary: [[UInt8]] = ["(", ")", "]", "}", "t", "l", "d", "e", "u", "a", "s", "R", "b", "0", "1", "2", ".", "N", "Q"]
        .map { Array($0.utf8) } + [
        [0x85], [0x86], [0x87], [0x93], [0x94], [0x81], [0x8F], [0x90], [0x91],
        [0x71, 0x00], [0x68, 0x00], [0x6A, 0xFF, 0xFF, 0xFF, 0xFF], [0x72, 0xFF, 0xFF, 0xFF, 0x7F],
        [0x4B, 0xFF], [0x4A, 0xFF, 0xFF, 0xFF, 0x7F], [0x4A, 0x00, 0x00, 0x00, 0x80], [0x4D, 0xFF, 0xFF],
        [0x8A, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], [0x8A, 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [0x8B, 0xFF, 0xFF, 0xFF, 0x7F], [0x58, 0xFF, 0xFF, 0xFF, 0x7F], [0x42, 0x00, 0x00, 0x00, 0x80],
        [0x8D, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0x95, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
        Array("I99999999999999999999\n".utf8), Array("F1e400\n".utf8), Array("p99999999999\n".utf8), Array("g-1\n".utf8),
        Array("cnumpy\ndtype\n".utf8), Array("cnumpy.core.multiarray\n_reconstruct\n".utf8),
        Array("ctorch._utils\n_rebuild_tensor_v2\n".utf8), Array("ctorch\nFloatStorage\n".utf8),
        Array("ccollections\nOrderedDict\n".utf8), Array("cos\nsystem\n".utf8),
    ]

    static let zipDictionary: [[UInt8]] = [
        [0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x01, 0x02], [0x50, 0x4B, 0x05, 0x06], [0x50, 0x4B, 0x06, 0x06],
        [0x50, 0x4B, 0x06, 0x07], [0xFF, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF], [0x01, 0x00, 0x18, 0x00],
        Array("archive/data.pkl".utf8), Array("archive/data/0".utf8),
    ]

    // MARK: - safetensors

    static func safetensorsFile(header: String, data: [UInt8]) -> [UInt8] {
        safetensorsFile(header: Array(header.utf8), data: data)
    }

    static func safetensors() throws -> [[UInt8]] {
        let encoded = try Safetensors.encode([
            ("conv.weight", try WeightArray(shape: [2, 1, 2, 2], values: (0..<8).map { Float($0) - 3.5 })),
            ("conv.bias", try WeightArray(shape: [2], values: [0.25, -1])),
            ("scalar", try WeightArray(shape: [], values: [7])),
        ], metadata: ["format": "pt"])
        let mixed = safetensorsFile(
            header: #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1,2],"data_offsets":[4,8]},"#
                + #""i":{"dtype":"I64","shape":[1],"data_offsets":[8,16]},"k":{"dtype":"BOOL","shape":[0,3],"data_offsets":[16,16]}}"#,
            data: [0x00, 0x3C, 0x00, 0xC0, 0x80, 0x3F, 0x00, 0x40, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        return [encoded, mixed]
    }

    /// The file with its JSON header mutated and its length field rewritten to match, so the
    /// mutant reaches the entry checks instead of stopping at "not a JSON object".
    static func mutateSafetensorsHeader(_ mutator: inout ByteMutator, _ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 8 else { return nil }
        let length = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
        guard length <= UInt64(bytes.count - 8) else { return nil }
        let headerEnd = 8 + Int(length)
        let header = Array(bytes[8..<headerEnd])
        let mutated = mutator.integer(below: 4) == 0 ? mutator.mutate(header, dictionary: jsonDictionary)
            : mutator.replaceToken(in: header, numbers: numberTokens, strings: safetensorsStrings) ?? header
        return safetensorsFile(header: mutated, data: Array(bytes[headerEnd...]))
    }

    static func safetensorsFile(header json: [UInt8], data: [UInt8]) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) } + json + data
    }

    /// Numbers that overflow, wrap, or are not integers, for shapes, offsets and lengths.
    static let numberTokens = ["-1", "0", "1", "2", "3", "8", "16", "255", "65536", "4294967296", "1e300", "-1e300", "2.5", "-0",
                               "9223372036854775807", "-9223372036854775808", "18446744073709551616", "99999999999999999999999"]
    static let safetensorsStrings = ["F32", "F64", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "C64", "F8_E4M3", "",
                                     "shape", "dtype", "data_offsets", "__metadata__"]
    static let npyStrings = ["<f4", "<f8", "|u1", "<u1", "<i4", "<i8", ">f4", "O", "V8", "<f2", "", "shape", "descr", "fortran_order"]

    static let jsonDictionary: [[UInt8]] = [
        "\"F32\"", "\"F64\"", "\"F16\"", "\"I8\"", "\"U8\"", "\"BOOL\"", "\"C64\"", "-1", "0", "1e300", "-1e300", "1.5",
        "9223372036854775807", "-9223372036854775808", "18446744073709551616", "99999999999999999999999",
        "[", "]", "{", "}", ",", ":", "null", "true", "\"shape\"", "\"data_offsets\"", "\"dtype\"", "\"__metadata__\"",
        "[[[[[[[[[[[[[[[[", "\"\\u0000\"", "\"\\ud800\"",
    ].map { Array($0.utf8) } + [[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]]

    // MARK: - .npy

    static func npyFile(header: String, data: [UInt8], version: UInt8 = 1) -> [UInt8] {
        npyFile(header: Array(header.utf8) + [0x0A], data: data, version: version)
    }

    static func npyFile(header text: [UInt8], data: [UInt8], version: UInt8) -> [UInt8] {
        let lengthBytes = version == 1 ? 2 : 4
        return NpyArray.magic + [version, 0] + (0..<lengthBytes).map { UInt8(truncatingIfNeeded: text.count >> (8 * $0)) } + text + data
    }

    /// The file with its header dict mutated and the header length rewritten to match.
    static func mutateNpyHeader(_ mutator: inout ByteMutator, _ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 12, bytes[6] >= 1, bytes[6] <= 3 else { return nil }
        let version = bytes[6]
        let start = version == 1 ? 10 : 12
        let length = (0..<(start - 8)).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        guard length <= bytes.count - start else { return nil }
        let original = Array(bytes[start..<(start + length)])
        let header = mutator.integer(below: 4) == 0 ? mutator.mutate(original, dictionary: npyDictionary)
            : mutator.replaceToken(in: original, numbers: numberTokens, strings: npyStrings) ?? original
        return npyFile(header: header, data: Array(bytes[(start + length)...]), version: version)
    }

    static func npys() throws -> [[UInt8]] {
        [
            [UInt8](try NpyArray(shape: [3, 4], values: (0..<12).map { Float($0) / 3 }).encoded()),
            [UInt8](try NpyArray(shape: [], values: [2.5]).encoded()),
            [UInt8](try NpyArray(shape: [0, 5], values: []).encoded()),
            npyFile(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                    data: [0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0]),
            npyFile(header: "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", data: [0, 1, 2, 253, 254, 255], version: 2),
            npyFile(header: "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", data: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], version: 3),
        ]
    }

    static let npyDictionary: [[UInt8]] = [
        "'<f4'", "'<f8'", "'|u1'", "'<u1'", "'<i8'", "'<i4'", "'>f4'", "'O'", "True", "False", "(", ")", ",", "()", "(,)",
        "9223372036854775807", "-1", "99999999999999999999", "0", "L", "'shape':", "'descr':", "'fortran_order':", "{", "}",
        "\u{0}", "\n",
    ].map { Array($0.utf8) } + [[0xFF, 0xFF, 0xFF, 0x7F], [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x03, 0x00]]
}
