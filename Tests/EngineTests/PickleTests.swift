import XCTest
@testable import Engine

/// The restricted unpickler and the torch/numpy readers, on files made by the real tools.
final class PickleTests: XCTestCase {
    private func unpickle(_ bytes: [UInt8]) throws -> PickleValue {
        var unpickler = Unpickler(reader: ByteReader(bytes, context: "test.pkl"))
        return try unpickler.load()
    }

    func testPlainDataProtocol2() throws {
        // pickle.dumps({'a': [1, 2.5, 'x']}, protocol=2)
        let bytes: [UInt8] = [0x80, 0x02, 0x7D, 0x71, 0x00, 0x58, 0x01, 0x00, 0x00, 0x00, 0x61, 0x71, 0x01, 0x5D, 0x71, 0x02,
                              0x28, 0x4B, 0x01, 0x47, 0x40, 0x04, 0, 0, 0, 0, 0, 0, 0x58, 0x01, 0x00, 0x00, 0x00, 0x78,
                              0x71, 0x03, 0x65, 0x73, 0x2E]
        guard case .dict(let dict) = try unpickle(bytes), dict.entries.count == 1,
              dict.entries[0].key.asString == "a", let items = dict.entries[0].value.asSequence, items.count == 3 else {
            return XCTFail("expected {'a': [1, 2.5, 'x']}")
        }
        XCTAssertEqual(items[0].asInt, 1)
        guard case .float(let value) = items[1] else { return XCTFail("2.5 should be a float") }
        XCTAssertEqual(value, 2.5)
        XCTAssertEqual(items[2].asString, "x")
    }

    func testRefusesArbitraryGlobalAndNamesIt() {
        // The classic exploit: cos\nsystem\n (X'ls',) R .
        var exploit: [UInt8] = [0x80, 0x02, 0x63]
        exploit += Array("os\nsystem\n".utf8)
        exploit += [0x58, 0x02, 0, 0, 0] + Array("ls".utf8) + [0x85, 0x52, 0x2E]
        XCTAssertThrowsError(try unpickle(exploit)) { error in
            XCTAssertTrue("\(error)".contains("os.system"), "error should name the refused global: \(error)")
        }
        let eval: [UInt8] = [0x80, 0x04, 0x8C, 0x08] + Array("builtins".utf8) + [0x8C, 0x04] + Array("eval".utf8) + [0x93, 0x2E]
        XCTAssertThrowsError(try unpickle(eval)) { error in
            XCTAssertTrue("\(error)".contains("builtins.eval"), "\(error)")
        }
    }

    func testHostileNestingNeitherRecursesNorCrashes() throws {
        // A million nested 1-tuples: '(' ... then TUPLE1 a million times.
        var deep: [UInt8] = [0x80, 0x02, 0x4E]
        deep += [UInt8](repeating: 0x85, count: 1_000_000)
        deep.append(0x2E)
        XCTAssertThrowsError(try WeightFile.decode(deep, source: "deep.pkl")) { error in
            XCTAssertTrue("\(error)".contains("nested"), "\(error)")
        }
        // A list that contains itself: ] q\x00 h\x00 a . (EMPTY_LIST, BINPUT 0, BINGET 0, APPEND, STOP)
        let cyclic: [UInt8] = [0x80, 0x02, 0x5D, 0x71, 0x00, 0x68, 0x00, 0x61, 0x2E]
        XCTAssertThrowsError(try WeightFile.decode(cyclic, source: "cycle.pkl")) { error in
            XCTAssertTrue("\(error)".contains("nested"), "\(error)")
        }
    }

    func testTruncatedPickleSaysTruncated() {
        let bytes: [UInt8] = [0x80, 0x02, 0x58, 0x10, 0x00, 0x00, 0x00, 0x61] // BINUNICODE of 16 bytes, 1 present
        XCTAssertThrowsError(try unpickle(bytes)) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
        XCTAssertThrowsError(try unpickle([0x80, 0x02, 0x4E])) { error in // no STOP
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
    }

    private func checkTorchFixture(_ weights: NamedWeights) throws {
        XCTAssertEqual(weights.names, ["layer.weight", "layer.bias", "view", "count"])
        let weight = try weights.require("layer.weight", shape: [2, 3])
        XCTAssertEqual(weight.values, [-1, -0.5, 0, 0.5, 1, 1.5])
        XCTAssertEqual(try weights.require("layer.bias").values, [3.25, -7])
        // arange(12).reshape(3,4).t()[1:] = rows [1,5,9], [2,6,10], [3,7,11]
        let view = try weights.require("view", shape: [3, 3])
        XCTAssertEqual(view.values, [1, 5, 9, 2, 6, 10, 3, 7, 11])
        XCTAssertEqual(try weights.require("count").values, [5])
        XCTAssertThrowsError(try weights.require("layer.weight", shape: [3, 2])) { error in
            XCTAssertTrue("\(error)".contains("[2, 3]") && "\(error)".contains("[3, 2]"), "\(error)")
        }
    }

    func testTorchLegacyCheckpoint() throws {
        XCTAssertTrue(TorchCheckpoint.isLegacy(PickleFixtures.torchLegacy))
        try checkTorchFixture(try WeightFile.decode(PickleFixtures.torchLegacy, source: "legacy.pt"))
    }

    func testTorchZipCheckpoint() throws {
        XCTAssertTrue(ZipArchive.looksLikeZip(PickleFixtures.torchZip))
        try checkTorchFixture(try WeightFile.decode(PickleFixtures.torchZip, source: "zip.pt"))
    }

    func testTruncatedTorchFilesGiveClearErrors() {
        for (name, bytes) in [("legacy.pt", PickleFixtures.torchLegacy), ("zip.pt", PickleFixtures.torchZip)] {
            for cut in [bytes.count - 3, bytes.count / 2, 20] {
                XCTAssertThrowsError(try WeightFile.decode(Array(bytes[0..<cut]), source: name)) { error in
                    XCTAssertTrue("\(error)".contains(name), "error should name the file: \(error)")
                }
            }
        }
    }

    func testNumpyPickles() throws {
        for bytes in [PickleFixtures.numpyProtocol2, PickleFixtures.numpyProtocol3] {
            let weights = try WeightFile.decode(bytes, source: "arrays.pkl")
            XCTAssertEqual(try weights.require("k", shape: [2, 3]).values, [0, 0.25, 0.5, 0.75, 1, 1.25])
            // Fortran order and big-endian doubles still read in C order: arange(6).reshape(2,3).
            XCTAssertEqual(try weights.require("f", shape: [2, 3]).values, [0, 1, 2, 3, 4, 5])
            XCTAssertEqual(try weights.require("i", shape: [1, 2]).values, [1, -2])
        }
    }

    func testNotAWeightFile() {
        XCTAssertThrowsError(try WeightFile.decode(Array("hello world".utf8), source: "notes.txt")) { error in
            XCTAssertTrue("\(error)".contains("not a weight file"), "\(error)")
        }
        XCTAssertThrowsError(try WeightFile.decode([], source: "empty.pt"))
    }
}
