import XCTest
@testable import Engine

/// The one gradient checker every op test uses: compares the gradients that `backward`
/// computes with central finite differences.
///
/// The loss is L = Σ output · r for a fixed random projection r (seeded), so every output
/// element matters with a different weight. Each input element is nudged by ±epsilon and
/// L re-evaluated in Double; the two estimates must agree within
/// `absoluteTolerance + relativeTolerance · |numeric|`.
enum GradientCheck {
    static func assertMatches(_ inputs: [Tensor], epsilon: Float = 1e-2,
                              absoluteTolerance: Double = 2e-3, relativeTolerance: Double = 1e-2,
                              rule: ReLURule = .standard, seed: UInt64 = 7,
                              file: StaticString = #filePath, line: UInt = #line,
                              _ function: ([Tensor]) throws -> Tensor) throws {
        for input in inputs { input.requiresGrad = true; input.grad = nil }
        let output = try function(inputs)
        var generator = SeededRandom(seed: seed)
        let projection = (0..<output.count).map { _ in generator.uniform(-1, 1) }
        try output.backward(seed: projection, rule: rule)

        func loss() throws -> Double {
            let value = try function(inputs)
            var total: Double = 0
            for (x, r) in zip(value.data, projection) { total += Double(x) * Double(r) }
            return total
        }
        for (inputIndex, input) in inputs.enumerated() {
            let analytic = input.grad ?? [Float](repeating: 0, count: input.count)
            XCTAssertEqual(analytic.count, input.count, "gradient size of input \(inputIndex)", file: file, line: line)
            for element in 0..<input.count {
                let original = input.data[element]
                input.data[element] = original + epsilon
                let plus = try loss()
                input.data[element] = original - epsilon
                let minus = try loss()
                input.data[element] = original
                let numeric = (plus - minus) / (2 * Double(epsilon))
                let difference = Swift.abs(numeric - Double(analytic[element]))
                if difference > absoluteTolerance + relativeTolerance * Swift.abs(numeric) {
                    XCTFail("input \(inputIndex) \(input.shape) element \(element): analytic \(analytic[element]) vs numeric \(numeric)",
                            file: file, line: line)
                    return
                }
            }
        }
    }

    /// A tensor of small seeded normal values.
    static func random(_ shape: [Int], seed: UInt64, scale: Float = 1) throws -> Tensor {
        var generator = SeededRandom(seed: seed)
        return try Tensor.randomNormal(shape: shape, standardDeviation: scale, using: &generator)
    }

    /// Distinct values spaced at least `gap` apart, in a shuffled order: safe for max pooling
    /// and ReLU checks, whose finite differences break when a nudge crosses a tie or a kink.
    static func spread(_ shape: [Int], seed: UInt64, gap: Float = 0.1) throws -> Tensor {
        let count = shape.reduce(1, *)
        var generator = SeededRandom(seed: seed)
        var values = (0..<count).map { Float($0) * gap - Float(count / 2) * gap + gap / 2 }
        values.shuffle(using: &generator)
        return try Tensor(shape: shape, data: values)
    }
}

/// Asserts two Float arrays agree element by element.
func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "count", file: file, line: line)
    for (index, (a, e)) in zip(actual, expected).enumerated() where Swift.abs(a - e) > tolerance * Swift.max(1, Swift.abs(e)) {
        XCTFail("element \(index): \(a) != \(e)", file: file, line: line)
        return
    }
}
