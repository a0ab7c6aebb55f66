import XCTest
@testable import Engine

final class OpActivationTests: XCTestCase {
    /// Inputs {-2, 2} × incoming gradients {-3, 3}, in the order
    /// (x<0,g<0), (x<0,g>0), (x>0,g<0), (x>0,g>0).
    private let inputs: [Float] = [-2, -2, 2, 2]
    private let incoming: [Float] = [-3, 3, -3, 3]

    /// The gradient reaching x for the four cases. The table is tiled five times (20 values)
    /// so both the eight-lane SIMD path and the scalar tail of the mask are exercised, and
    /// every copy must agree; the fused conv path gets the same table through a 1×1 identity conv.
    private func reluGradient(_ rule: ReLURule, relu6: Bool = false) throws -> [Float] {
        let copies = 5
        let x = try Tensor(shape: [1, 1, 1, 4 * copies], data: Array([[Float]](repeating: inputs, count: copies).joined()),
                           requiresGrad: true)
        let seed = Array([[Float]](repeating: incoming, count: copies).joined())
        let y = relu6 ? x.relu6() : x.relu()
        try y.backward(seed: seed, rule: rule)
        let separate = x.grad ?? []
        x.zeroGrad()
        let identity = try Tensor(shape: [1, 1, 1, 1], data: [1])
        let fused = try x.conv2d(weight: identity, bias: nil, activation: relu6 ? .relu6 : .relu)
        try fused.backward(seed: seed, rule: rule)
        XCTAssertEqual(x.grad ?? [], separate, "fused and separate activations agree")
        for copy in 1..<copies {
            XCTAssertEqual(Array(separate[(copy * 4)..<(copy * 4 + 4)]), Array(separate[0..<4]), "copy \(copy)")
        }
        return Array(separate[0..<4])
    }

    func testReLUTruthTableStandard() throws {
        // Passes where x > 0, whatever the sign of the gradient.
        XCTAssertEqual(try reluGradient(.standard), [0, 0, -3, 3])
        XCTAssertEqual(try reluGradient(.standard, relu6: true), [0, 0, -3, 3])
    }

    func testReLUTruthTableGuided() throws {
        // Passes only where x > 0 and g > 0.
        XCTAssertEqual(try reluGradient(.guided), [0, 0, 0, 3])
        XCTAssertEqual(try reluGradient(.guided, relu6: true), [0, 0, 0, 3])
    }

    func testReLUTruthTableDeconvnet() throws {
        // Passes where g > 0, ignoring x.
        XCTAssertEqual(try reluGradient(.deconvnet), [0, 3, 0, 3])
        XCTAssertEqual(try reluGradient(.deconvnet, relu6: true), [0, 3, 0, 3])
    }

    /// The rule reaches every ReLU of a deeper graph, not only the last one.
    func testRuleAppliesThroughWholeGraph() throws {
        let x = try Tensor(shape: [2], data: [1, 1], requiresGrad: true)
        let weights = try Tensor(shape: [2], data: [-1, 1])
        // relu(relu(x) * w): the inner ReLU sees gradient -1 at element 0 (via w) under guided.
        let y = try (x.relu() * weights).relu() + x.relu() * 0
        try y.backward(seed: [1, 1], rule: .guided)
        // Element 0: outer ReLU input -1 < 0 -> closed: 0. Element 1: 1·1 passes.
        XCTAssertEqual(x.grad, [0, 1])
        let z = try Tensor(shape: [2], data: [1, 1], requiresGrad: true)
        try (z.relu() * weights).backward(seed: [1, 1], rule: .guided)
        XCTAssertEqual(z.grad, [0, 1], "guided drops the negative gradient reaching the ReLU")
        z.zeroGrad()
        try (z.relu() * weights).backward(seed: [1, 1], rule: .standard)
        XCTAssertEqual(z.grad, [-1, 1])
    }

    /// Large tensors are split across cores; every element must still follow the rule.
    func testLargeTensorsFollowTheRuleEverywhere() throws {
        let count = 70_001
        let x = try GradientCheck.random([count], seed: 41)
        var generator = SeededRandom(seed: 42)
        let seed = (0..<count).map { _ in generator.uniform(-1, 1) }
        for rule in ReLURule.allCases {
            x.requiresGrad = true
            x.zeroGrad()
            let y = x.relu6()
            try y.backward(seed: seed, rule: rule)
            let grad = x.grad ?? []
            for index in 0..<count {
                let value = x.data[index], g = seed[index]
                let open = value > 0 && value < 6
                let expected: Float
                switch rule {
                case .standard: expected = open ? g : 0
                case .guided: expected = open && g > 0 ? g : 0
                case .deconvnet: expected = g > 0 ? g : 0
                }
                if grad[index] != expected { XCTFail("\(rule) element \(index): \(grad[index]) != \(expected)"); break }
                if y.data[index] != min(max(value, 0), 6) { XCTFail("forward element \(index)"); break }
            }
        }
    }

    func testForwardValues() throws {
        let x = try Tensor(shape: [5], data: [-2, -0.5, 0, 3, 8])
        assertClose(x.relu().data, [0, 0, 0, 3, 8])
        assertClose(x.relu6().data, [0, 0, 0, 3, 6])
        assertClose(x.leakyReLU(slope: 0.1).data, [-0.2, -0.05, 0, 3, 8])
        assertClose(x.sigmoid().data, [0.11920292, 0.37754067, 0.5, 0.95257413, 0.99966465])
        assertClose(x.tanh().data, [-0.96402758, -0.46211716, 0, 0.99505475, 0.99999977])
    }

    func testSmoothActivationGradients() throws {
        let x = try GradientCheck.random([3, 4], seed: 5, scale: 2)
        try GradientCheck.assertMatches([x]) { $0[0].sigmoid() }
        try GradientCheck.assertMatches([x]) { $0[0].tanh() }
    }

    func testKinkedActivationGradients() throws {
        // Values at least 0.05 from 0 (and from 6 for ReLU6), so ±0.01 never crosses a kink.
        let x = try Tensor(shape: [12], data: [-7, -3, -0.5, -0.05, 0.05, 0.5, 2, 5.5, 5.95, 6.05, 7, 9])
        try GradientCheck.assertMatches([x]) { $0[0].relu() }
        try GradientCheck.assertMatches([x]) { $0[0].relu6() }
        try GradientCheck.assertMatches([x]) { $0[0].leakyReLU(slope: 0.2) }
    }
}
