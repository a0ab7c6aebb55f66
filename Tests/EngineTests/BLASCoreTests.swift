import XCTest
@testable import Engine

/// The rule that picks OpenBLAS kernels when OpenBLAS's own CPUID table does not know the
/// processor, on stated facts; and on this machine, against the processor's own flags.
final class BLASCoreTests: XCTestCase {
    func testGenericChoiceOnAVX512IsReplacedBySkylakeX() {
        XCTAssertEqual(BLASCore.recommended(current: "Prescott", avx512: true, avx2: true), "SkylakeX")
        XCTAssertEqual(BLASCore.recommended(current: "Haswell", avx512: true, avx2: true), "SkylakeX",
                       "AVX2 kernels on an AVX-512 processor leave half the vector width unused")
        XCTAssertNil(BLASCore.recommended(current: "SkylakeX", avx512: true, avx2: true))
        XCTAssertNil(BLASCore.recommended(current: "Cooperlake", avx512: true, avx2: true))
    }

    func testGenericChoiceOnAVX2IsReplacedByHaswell() {
        XCTAssertEqual(BLASCore.recommended(current: "Prescott", avx512: false, avx2: true), "Haswell")
        XCTAssertEqual(BLASCore.recommended(current: "Sandybridge", avx512: false, avx2: true), "Haswell")
        XCTAssertNil(BLASCore.recommended(current: "Zen", avx512: false, avx2: true))
        XCTAssertNil(BLASCore.recommended(current: "Haswell", avx512: false, avx2: true))
    }

    func testOlderProcessorsKeepOpenBLASsChoice() {
        XCTAssertNil(BLASCore.recommended(current: "Prescott", avx512: false, avx2: false))
        XCTAssertNil(BLASCore.recommended(current: "Nehalem", avx512: false, avx2: false))
    }

    /// With the kernels `make test` selects, nothing is left to recommend on this machine when
    /// /proc/cpuinfo says the processor has AVX2 and FMA.
    func testThisProcessorRunsVectorKernelsUnderMakeTest() throws {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != nil,
              let info = FileManager.default.contents(atPath: "/proc/cpuinfo").map({ String(decoding: $0.prefix(65_536), as: UTF8.self) }),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else {
            throw XCTSkip("run through make test (which sets OPENBLAS_CORETYPE) on Linux")
        }
        let set = Set(flags.split(separator: " ").map(String.init))
        guard set.contains("avx2"), set.contains("fma") else { throw XCTSkip("no AVX2 on this processor") }
        XCTAssertTrue(BLASCore.vectorCores.contains(BLASCore.current.lowercased()), BLASCore.current)
        XCTAssertNil(BLASCore.recommendedCoreType)
    }
}
