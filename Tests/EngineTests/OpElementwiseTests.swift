import XCTest
@testable import Engine

final class OpElementwiseTests: XCTestCase {
    func testForwardValues() throws {
        let x = try Tensor(shape: [3], data: [-2, 1, 4])
        assertClose(x.square().data, [4, 1, 16])
        assertClose(x.abs().data, [2, 1, 4])
        assertClose(x.clamp(min: 0, max: 2).data, [0, 1, 2])
        assertClose(x.exp().data, [0.13533528, 2.7182817, 54.59815])
        let positive = try Tensor(shape: [2], data: [1, 4])
        assertClose(positive.sqrt().data, [1, 2])
        assertClose(positive.log().data, [0, 1.3862944])
        assertClose(positive.power(1.5).data, [1, 8])
    }

    func testGradients() throws {
        let x = try GradientCheck.random([8], seed: 40)
        let positive = try Tensor(shape: [4], data: [0.5, 1, 2, 3.5])
        try GradientCheck.assertMatches([x]) { $0[0].square() }
        try GradientCheck.assertMatches([x]) { $0[0].exp() }
        try GradientCheck.assertMatches([positive]) { $0[0].sqrt() }
        try GradientCheck.assertMatches([positive]) { $0[0].log() }
        try GradientCheck.assertMatches([positive]) { $0[0].power(2.5) }
        let awayFromKinks = try Tensor(shape: [6], data: [-1.5, -0.3, -0.05, 0.05, 0.7, 1.9])
        try GradientCheck.assertMatches([awayFromKinks]) { $0[0].abs() }
        try GradientCheck.assertMatches([awayFromKinks]) { $0[0].clamp(min: -1, max: 1) }
    }
}
