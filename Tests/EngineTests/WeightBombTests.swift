import XCTest
@testable import Engine

/// Small weight files that ask for enormous work or memory must be refused quickly, before the
/// memory is allocated; shared arrays (tied weights) must still load, made once.
final class WeightBombTests: XCTestCase {
    func testPickleOfListsRepeatedWithinListsIsRefusedQuickly() {
        // A list of the previous list twice, 30 times over: 250 bytes, 2^31 paths to walk
        // (about a day in a debug build before the visit budget).
        var bytes: [UInt8] = [0x80, 0x02, 0x5D, 0x71, 0x00]                            // [] -> memo 0
        for _ in 0..<30 { bytes += [0x28, 0x68, 0x00, 0x68, 0x00, 0x6C, 0x71, 0x00] } // [memo 0, memo 0] -> memo 0
        bytes.append(0x2E)
        XCTAssertLessThan(bytes.count, 300)
        let started = FileFuzzTests.threadCPUTime()
        XCTAssertThrowsError(try WeightFile.decode(bytes, source: "laughs.pkl")) { error in
            XCTAssertTrue("\(error)".contains("more than \(NamedWeights.maximumVisits) values"), "\(error)")
        }
        XCTAssertLessThan(FileFuzzTests.threadCPUTime() - started, 5)
    }

    func testZeroStrideViewOfBillionsOfValuesIsRefusedBeforeAllocating() {
        // One float viewed as 65536 x 65536 with strides (0, 0): 17 GB of Float from 200 bytes.
        let main = [0x7D, 0x28] + TestTorchFile.string("w")
            + TestTorchFile.tensor(storageCount: 1, offset: 0, shape: [65_536, 65_536], strides: [0, 0]) + [0x75]
        let file = TestTorchFile.checkpoint(main: main, storage: [1.5])
        let started = FileFuzzTests.threadCPUTime()
        XCTAssertThrowsError(try WeightFile.decode(file, source: "expand.pt")) { error in
            XCTAssertTrue("\(error)".contains("'w'") && "\(error)".contains("more values than the file can hold"), "\(error)")
        }
        XCTAssertLessThan(FileFuzzTests.threadCPUTime() - started, 1)
        // The same view at a sane size loads: an expanded tensor is legitimate.
        let small = [0x7D, 0x28] + TestTorchFile.string("w")
            + TestTorchFile.tensor(storageCount: 1, offset: 0, shape: [3, 2], strides: [0, 0]) + [0x75]
        XCTAssertEqual(try WeightFile.decode(TestTorchFile.checkpoint(main: small, storage: [1.5]), source: "small.pt")["w"]?.values,
                       [Float](repeating: 1.5, count: 6))
    }

    func testManyViewsOfOneStorageAreRefusedOnceTheyOutgrowTheFile() {
        // 2,500 distinct views of 8,000 floats each on one 20,000-float storage: 20 million values
        // from a 330 KB file, over its size plus `NamedWeights.valueSlack` (17.1 million).
        var main: [UInt8] = [0x7D, 0x28]
        for index in 0..<2_500 {
            main += TestTorchFile.string("v\(index)") + TestTorchFile.tensor(storageCount: 20_000, offset: Int32(index), shape: [8_000], strides: [1])
        }
        main.append(0x75)
        let file = TestTorchFile.checkpoint(main: main, storage: (0..<20_000).map(Float.init))
        XCTAssertLessThan(file.count, 400_000)
        XCTAssertThrowsError(try WeightFile.decode(file, source: "views.pt")) { error in
            XCTAssertTrue("\(error)".contains("more values than the file can hold"), "\(error)")
        }
    }

    func testOneTensorUnderManyNamesIsMadeOnce() throws {
        // 1,000 names for one 100,000-float tensor (a memo reference each): 100 million values if
        // each name made its own copy, which the budget would refuse; made once, it loads.
        var main: [UInt8] = [0x7D, 0x28] + TestTorchFile.string("n0")
            + TestTorchFile.tensor(storageCount: 100_000, offset: 0, shape: [100_000], strides: [1]) + [0x71, 0x01] // BINPUT 1
        for index in 1..<1_000 { main += TestTorchFile.string("n\(index)") + [0x68, 0x01] }                       // BINGET 1
        main.append(0x75)
        let storage = (0..<100_000).map { Float($0 % 977) }
        let weights = try WeightFile.decode(TestTorchFile.checkpoint(main: main, storage: storage), source: "tied.pt")
        XCTAssertEqual(weights.count, 1_000)
        XCTAssertEqual(weights["n999"]?.values, storage)
        XCTAssertEqual(weights["n0"]?.shape, [100_000])
    }
}
