import XCTest
@testable import Engine

final class OpTextureTests: XCTestCase {
    func testGramValues() throws {
        // Channel 0 = [1, 2], channel 1 = [3, 4] over a 1×2 image: F·Fᵀ / 2.
        let x = try Tensor(shape: [1, 2, 1, 2], data: [1, 2, 3, 4])
        let g = try x.gram()
        XCTAssertEqual(g.shape, [1, 2, 2])
        assertClose(g.data, [2.5, 5.5, 5.5, 12.5])
    }

    func testTotalVariationValue() throws {
        // [[1, 2], [4, 8]]: vertical (3² + 6²) + horizontal (1² + 4²) = 45 + 17.
        let x = try Tensor(shape: [1, 1, 2, 2], data: [1, 2, 4, 8])
        XCTAssertEqual(try x.totalVariation().scalar, 62)
    }

    func testGradients() throws {
        let x = try GradientCheck.random([2, 3, 3, 2], seed: 80)
        try GradientCheck.assertMatches([x]) { try $0[0].gram() }
        try GradientCheck.assertMatches([x]) { try $0[0].totalVariation() }
    }
}
