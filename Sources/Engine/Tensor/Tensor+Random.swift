/// Random tensors, always from a `SeededRandom` so results can be reproduced.
extension Tensor {
    /// Values drawn from N(mean, standardDeviation²).
    public static func randomNormal(shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                    using generator: inout SeededRandom, requiresGrad: Bool = false) throws -> Tensor {
        try validate(shape: shape, operation: "randomNormal")
        let values = (0..<shape.reduce(1, *)).map { _ in generator.normal(mean: mean, standardDeviation: standardDeviation) }
        return try Tensor(shape: shape, data: values, requiresGrad: requiresGrad)
    }

    /// Values drawn uniformly from [low, high).
    public static func randomUniform(shape: [Int], low: Float = 0, high: Float = 1,
                                     using generator: inout SeededRandom, requiresGrad: Bool = false) throws -> Tensor {
        try validate(shape: shape, operation: "randomUniform")
        let values = (0..<shape.reduce(1, *)).map { _ in generator.uniform(low, high) }
        return try Tensor(shape: shape, data: values, requiresGrad: requiresGrad)
    }
}
