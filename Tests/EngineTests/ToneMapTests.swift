import XCTest
@testable import Engine

final class ToneMapTests: XCTestCase {
    func testMinMaxMapsRangeOntoUnitInterval() {
        let mapped = ToneMap.minMax.apply([-2, 0, 2, 6])
        XCTAssertEqual(mapped.values, [0, 0.25, 0.5, 1])
        XCTAssertEqual(mapped.low, -2)
        XCTAssertEqual(mapped.high, 6)
        XCTAssertEqual(mapped.caption, "minmax [-2, 6]")
    }

    func testClipKeepsValuesInsideAndCutsOutside() {
        XCTAssertEqual(ToneMap.clip.apply([-0.5, 0.25, 0.75, 3]).values, [0, 0.25, 0.75, 1])
    }

    func testSymmetricPutsZeroAtHalf() {
        // max |x| = 4: -4 -> 0, -1 -> 0.375, 0 -> 0.5, 2 -> 0.75
        let mapped = ToneMap.symmetric.apply([-4, -1, 0, 2])
        XCTAssertEqual(mapped.values, [0, 0.375, 0.5, 0.75])
        XCTAssertEqual(mapped.low, -4)
        XCTAssertEqual(mapped.high, 4)
    }

    func testPercentileClipsOutliers() {
        // 0...100 plus one outlier at 10,000: the outlier no longer sets the contrast.
        var values = (0...100).map(Float.init)
        values.append(10_000)
        let mapped = ToneMap.percentile.apply(values)
        // NumPy: np.percentile(values, 1) = 1.01, np.percentile(values, 99) = 99.99
        XCTAssertEqual(mapped.low, 1.01, accuracy: 1e-4)
        XCTAssertEqual(mapped.high, 99.99, accuracy: 1e-3)
        XCTAssertEqual(mapped.values[0], 0)
        XCTAssertEqual(mapped.values[50], (50 - 1.01) / (99.99 - 1.01), accuracy: 1e-5)
        XCTAssertEqual(mapped.values[101], 1)
    }

    /// np.quantile([1, 2, 3, 4], q) for q = 0.5, 0.99, 0.1, 0 and 1: 2.5, 3.97, 1.3, 1, 4.
    func testQuantileInterpolatesLikeNumPy() {
        XCTAssertEqual(Quantile.ofSorted([1, 2, 3, 4], 0.5), 2.5)
        XCTAssertEqual(Quantile.ofSorted([1, 2, 3, 4], 0.99), 3.97, accuracy: 1e-5)
        XCTAssertEqual(Quantile.ofSorted([1, 2, 3, 4], 0.1), 1.3, accuracy: 1e-6)
        XCTAssertEqual(Quantile.ofSorted([1, 2, 3, 4], 0), 1)
        XCTAssertEqual(Quantile.ofSorted([1, 2, 3, 4], 1), 4)
        XCTAssertEqual(Quantile.ofSorted([1, 2, 3, 4], 7), 4, "fractions are clamped to 0...1")
        XCTAssertEqual(Quantile.ofSorted([7], 0.99), 7)
        XCTAssertEqual(Quantile.ofSorted([], 0.5), 0)
        XCTAssertTrue(Quantile.ofSorted([1, 2], .nan).isNaN)
        // A map's quantile ignores the values that are not finite: np.quantile([0, 1, 2, 3], 0.5) = 1.5.
        let map = try? ScalarMap(height: 2, width: 3, values: [3, .nan, 0, .infinity, 2, 1])
        XCTAssertEqual(map?.quantile(0.5), 1.5)
    }

    func testConstantAndNonFiniteInputsStaySafe() {
        XCTAssertEqual(ToneMap.minMax.apply([3, 3]).values, [0.5, 0.5])
        XCTAssertEqual(ToneMap.symmetric.apply([0, 0]).values, [0.5, 0.5])
        XCTAssertEqual(ToneMap.minMax.apply([0, .nan, 2, .infinity]).values, [0, 0, 1, 0])
        XCTAssertEqual(ToneMap.minMax.apply([]).values, [])
    }

    func testNamesParse() {
        XCTAssertEqual(ToneMap(name: "min-max"), .minMax)
        XCTAssertEqual(ToneMap(name: "Symmetric"), .symmetric)
        XCTAssertEqual(ToneMap(name: "p99"), .percentile)
        XCTAssertNil(ToneMap(name: "log"))
    }
}
