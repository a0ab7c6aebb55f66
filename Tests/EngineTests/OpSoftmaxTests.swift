import Foundation
import XCTest
@testable import Engine

final class OpSoftmaxTests: XCTestCase {
    func testSoftmaxValues() throws {
        let x = try Tensor(shape: [2, 3], data: [0, 0, 0, 1, 2, 3])
        let y = try x.softmax()
        // e^0, e^1, e^2 normalised: 0.09003057, 0.24472847, 0.66524096.
        assertClose(y.data, [1 / 3.0, 1 / 3.0, 1 / 3.0, 0.09003057, 0.24472847, 0.66524096])
        let logY = try x.logSoftmax()
        assertClose(logY.data, [-1.0986123, -1.0986123, -1.0986123, -2.4076059, -1.4076059, -0.4076059])
    }

    /// Huge logits must not overflow (the maximum is subtracted first).
    func testSoftmaxIsStable() throws {
        let x = try Tensor(shape: [1, 2], data: [1000, 1000])
        assertClose(try x.softmax().data, [0.5, 0.5])
        assertClose(try x.logSoftmax().data, [-0.6931472, -0.6931472])
    }

    func testSoftmaxAlongAxisOne() throws {
        let x = try Tensor(shape: [1, 2, 1, 2], data: [0, 5, 0, 5])
        assertClose(try x.softmax(axis: 1).data, [0.5, 0.5, 0.5, 0.5])
    }

    func testCrossEntropyValue() throws {
        // Row 0: uniform over 2 classes -> log 2. Row 1: logits [0, ln 3] label 1 -> -ln(3/4).
        let logits = try Tensor(shape: [2, 2], data: [0, 0, 0, Float(Foundation.log(3.0))])
        let loss = try logits.crossEntropy(labels: [0, 1])
        XCTAssertEqual(loss.shape, [1])
        XCTAssertEqual(loss.scalar, Float((Foundation.log(2.0) - Foundation.log(0.75)) / 2), accuracy: 1e-6)
    }

    func testCrossEntropyRejectsBadLabels() throws {
        let logits = try Tensor(zeros: [2, 3])
        XCTAssertThrowsError(try logits.crossEntropy(labels: [0, 3])) { error in
            XCTAssertTrue("\(error)".contains("label 3"), "\(error)")
        }
        XCTAssertThrowsError(try logits.crossEntropy(labels: [0]))
    }

    func testGradients() throws {
        let x = try GradientCheck.random([3, 5], seed: 6, scale: 2)
        try GradientCheck.assertMatches([x]) { try $0[0].softmax() }
        try GradientCheck.assertMatches([x]) { try $0[0].logSoftmax() }
        try GradientCheck.assertMatches([x]) { try $0[0].softmax(axis: 0) }
        try GradientCheck.assertMatches([x]) { try $0[0].crossEntropy(labels: [4, 0, 2]) }
    }
}
