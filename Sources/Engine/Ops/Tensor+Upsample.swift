/// Resizing the last two dimensions: nearest neighbour and bilinear (PyTorch's conventions).
extension Tensor {
    /// Resizes [..., H, W] to [..., height, width].
    public func upsample(height: Int, width: Int, mode: UpsampleMode) throws -> Tensor {
        guard rank >= 2 else { throw EngineError.invalid("upsample: needs at least 2 dimensions, got \(shape)") }
        guard height >= 1, width >= 1 else {
            throw EngineError.invalid("upsample: target size must be positive, got \(height)×\(width)")
        }
        let inHeight = shape[rank - 2], inWidth = shape[rank - 1]
        guard inHeight >= 1, inWidth >= 1 else { throw EngineError.invalid("upsample: input \(shape) is empty") }
        let planes = count / (inHeight * inWidth)
        // Per output row/column: two source indices and the weight of the second.
        let rows = Tensor.interpolationTaps(input: inHeight, output: height, mode: mode)
        let columns = Tensor.interpolationTaps(input: inWidth, output: width, mode: mode)
        var values = [Float](repeating: 0, count: planes * height * width)
        for p in 0..<planes {
            let source = p * inHeight * inWidth, target = p * height * width
            for (y, row) in rows.enumerated() {
                for (x, column) in columns.enumerated() {
                    let top = (1 - column.weight) * data[source + row.first * inWidth + column.first]
                        + column.weight * data[source + row.first * inWidth + column.second]
                    let bottom = (1 - column.weight) * data[source + row.second * inWidth + column.first]
                        + column.weight * data[source + row.second * inWidth + column.second]
                    values[target + y * width + x] = (1 - row.weight) * top + row.weight * bottom
                }
            }
        }
        var resultShape = shape
        resultShape[rank - 2] = height
        resultShape[rank - 1] = width
        let input = self
        return Tensor.makeResult(shape: resultShape, data: values, parents: [input]) { outputGradient, _ in
            input.accumulateGradient { dx in
                for p in 0..<planes {
                    let source = p * inHeight * inWidth, target = p * height * width
                    for (y, row) in rows.enumerated() {
                        for (x, column) in columns.enumerated() {
                            let g = outputGradient[target + y * width + x]
                            dx[source + row.first * inWidth + column.first] += g * (1 - row.weight) * (1 - column.weight)
                            dx[source + row.first * inWidth + column.second] += g * (1 - row.weight) * column.weight
                            dx[source + row.second * inWidth + column.first] += g * row.weight * (1 - column.weight)
                            dx[source + row.second * inWidth + column.second] += g * row.weight * column.weight
                        }
                    }
                }
            }
        }
    }

    /// Source taps along one axis. Nearest: floor(dst · in/out). Bilinear (align_corners = false):
    /// src = (dst + 0.5) · in/out - 0.5, clamped at 0, between floor(src) and the next pixel.
    static func interpolationTaps(input: Int, output: Int, mode: UpsampleMode)
        -> [(first: Int, second: Int, weight: Float)] {
        let scale = Float(input) / Float(output)
        return (0..<output).map { index in
            switch mode {
            case .nearest:
                let source = Swift.min(Int((Float(index) * scale).rounded(.down)), input - 1)
                return (source, source, 0)
            case .bilinear:
                let position = Swift.max((Float(index) + 0.5) * scale - 0.5, 0)
                let first = Swift.min(Int(position.rounded(.down)), input - 1)
                let second = Swift.min(first + 1, input - 1)
                return (first, second, position - Float(first))
            }
        }
    }
}
