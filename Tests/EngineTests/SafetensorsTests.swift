import XCTest
@testable import Engine

final class SafetensorsTests: XCTestCase {
    func testRoundTripKeepsOrderShapesAndValues() throws {
        let a = try WeightArray(shape: [2, 2], values: [1, -2.5, 3e-8, 4])
        let b = try WeightArray(shape: [3], values: [0, .greatestFiniteMagnitude, -1])
        let bytes = try Safetensors.encode([("conv.weight", a), ("conv.bias", b)], metadata: ["format": "pt"])
        // 8-byte header length, then a JSON header padded to a multiple of 8.
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(headerLength % 8, 0)
        XCTAssertEqual(bytes.count, 8 + headerLength + 7 * 4)
        let weights = try WeightFile.decode(bytes, source: "round.safetensors")
        XCTAssertEqual(weights.names, ["conv.weight", "conv.bias"])
        XCTAssertEqual(weights["conv.weight"], a)
        XCTAssertEqual(weights["conv.bias"], b)
    }

    func testKnownBytesFromTheReferenceWriter() throws {
        // safetensors.torch.save({"x": torch.tensor([1.0, 2.0])}) header: {"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}
        let json = Array(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#.utf8)
        var bytes: [UInt8] = [UInt8(json.count), 0, 0, 0, 0, 0, 0, 0] + json
        bytes += [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40] // 1.0, 2.0 little-endian
        XCTAssertEqual(try Safetensors.decode(bytes, source: "x.safetensors")["x"]?.values, [1, 2])
    }

    func testTruncatedAndMismatchedFilesAreRefused() throws {
        let bytes = try Safetensors.encode([("w", try WeightArray(shape: [4], values: [1, 2, 3, 4]))])
        XCTAssertThrowsError(try Safetensors.decode(Array(bytes.dropLast(4)), source: "cut.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("cut.safetensors") && "\(error)".contains("truncated"), "\(error)")
        }
        XCTAssertThrowsError(try Safetensors.decode(Array(bytes.prefix(12)), source: "short.safetensors"))
        let json = Array(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#.utf8)
        let wrong: [UInt8] = [UInt8(json.count), 0, 0, 0, 0, 0, 0, 0] + json + [UInt8](repeating: 0, count: 8)
        XCTAssertThrowsError(try Safetensors.decode(wrong, source: "wrong.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("'w'"), "\(error)")
        }
    }

    func testWriteToDiskAndLoadByPath() throws {
        let path = NSTemporaryDirectory() + "convlens-\(UInt32.random(in: 0...UInt32.max)).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let array = try WeightArray(shape: [1, 3], values: [0.5, 0.25, 0.125])
        try Safetensors.write([("a", array)], to: path)
        XCTAssertEqual(try WeightFile.load(path: path)["a"], array)
        XCTAssertThrowsError(try WeightFile.load(path: path + ".missing")) { error in
            XCTAssertTrue("\(error)".contains("no such file"), "\(error)")
        }
    }
}
