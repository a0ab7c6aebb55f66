import Foundation
import XCTest
@testable import Engine

final class AutodiffTests: XCTestCase {
    /// A tensor used twice gets the sum of both contributions: d(x·x)/dx = 2x.
    func testGradientsAccumulateOverUses() throws {
        let x = try Tensor(shape: [2], data: [3, -1], requiresGrad: true)
        try (x * x).sum().backward()
        XCTAssertEqual(x.grad, [6, -2])
        // Leaves keep accumulating across calls until zeroGrad.
        try (x * x).sum().backward()
        XCTAssertEqual(x.grad, [12, -4])
        x.zeroGrad()
        XCTAssertNil(x.grad)
    }

    /// A diamond: y = a + a·b, b = 2a. dy/da = 1 + 2·b... with b depending on a: 1 + 4a.
    func testDiamondGraph() throws {
        let a = try Tensor(shape: [1], data: [3], requiresGrad: true)
        let b = a * 2
        let y = try a + a * b
        try y.backward()
        XCTAssertEqual(a.grad, [13])
        XCTAssertEqual(b.grad, [3])
    }

    /// 20,000 chained ops: the topological sort must not recurse.
    func testDeepGraphDoesNotOverflowTheStack() throws {
        let x = try Tensor(shape: [1], data: [1], requiresGrad: true)
        var y = x
        for _ in 0..<20_000 { y = y * 1.0001 }
        try y.backward()
        XCTAssertEqual(x.grad?[0] ?? 0, Float(Foundation.pow(1.0001, 20_000.0)), accuracy: 1e-2)
    }

    func testIntermediateGradientAndSeed() throws {
        let x = try Tensor(shape: [3], data: [1, 2, 3], requiresGrad: true)
        let hidden = x * 2
        hidden.name = "hidden"
        let y = hidden.square()
        try y.backward(seed: [1, 0, 0])
        XCTAssertEqual(hidden.grad, [4, 0, 0])
        XCTAssertEqual(x.grad, [8, 0, 0])
        // Starting at an intermediate layer with the activation as seed (DeepDream's trick).
        x.zeroGrad()
        try hidden.backward(seed: hidden.data)
        XCTAssertEqual(x.grad, [4, 8, 12])
    }

    func testGradientHookRewritesTheGradient() throws {
        let x = try Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        let hidden = x * 3
        hidden.gradientHook = { gradient in gradient = [1, 0] }
        try hidden.square().sum().backward()
        XCTAssertEqual(x.grad, [3, 0])
    }

    func testInferenceRecordsNoGraph() throws {
        let x = try Tensor(shape: [2], data: [1, 2])
        let y = x.relu() * 2
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(y.parents.isEmpty)
        XCTAssertThrowsError(try y.backward())
    }

    func testSeedOfWrongSizeThrows() throws {
        let x = try Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        XCTAssertThrowsError(try (x * 2).backward(seed: [1])) { error in
            XCTAssertTrue("\(error)".contains("seed has 1"), "\(error)")
        }
    }

    func testDetachedCutsTheGraph() throws {
        let x = try Tensor(shape: [1], data: [2], requiresGrad: true)
        let y = try x * x.detached()
        try y.backward()
        XCTAssertEqual(x.grad, [2])
    }

    func testCancellationStopsOpsAndBackward() throws {
        let input = try Tensor(zeros: [1, 1, 4, 4], requiresGrad: true)
        let weight = try Tensor(zeros: [1, 1, 3, 3])
        let output = try input.conv2d(weight: weight, bias: nil)
        Cancellation.current = { true }
        XCTAssertThrowsError(try input.conv2d(weight: weight, bias: nil)) { XCTAssertEqual($0 as? EngineError, .cancelled) }
        XCTAssertThrowsError(try output.sum().backward()) { XCTAssertEqual($0 as? EngineError, .cancelled) }
        Cancellation.current = nil
        XCTAssertNil(Cancellation.current)
        XCTAssertNoThrow(try output.sum().backward())
    }

    func testInvalidTensorConstructionThrows() {
        XCTAssertThrowsError(try Tensor(shape: [2, 2], data: [1, 2, 3]))
        XCTAssertThrowsError(try Tensor(zeros: [2, -1]))
        XCTAssertThrowsError(try Tensor(zeros: []))
    }
}
