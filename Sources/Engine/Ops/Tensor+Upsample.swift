/// Resizing the last two dimensions by `Interpolation` (PyTorch's conventions), differentiable.
extension Tensor {
    /// Resizes [..., H, W] to [..., height, width].
    public func upsample(height: Int, width: Int, mode: Interpolation) throws -> Tensor {
        guard rank >= 2 else { throw EngineError.invalid("upsample: needs at least 2 dimensions, got \(shape)") }
        guard height >= 1, width >= 1 else {
            throw EngineError.invalid("upsample: target size must be positive, got \(height)×\(width)")
        }
        let inHeight = shape[rank - 2], inWidth = shape[rank - 1]
        guard inHeight >= 1, inWidth >= 1 else { throw EngineError.invalid("upsample: input \(shape) is empty") }
        return resampled(rows: mode.taps(source: inHeight, target: height), columns: mode.taps(source: inWidth, target: width))
    }

    /// [..., H, W] resampled along its last two axes: output row y reads input rows
    /// `rows[y].first` and `.second` mixed by `.weight`, and likewise for columns (taps inside
    /// the input, which callers guarantee). The backward pass sends each output gradient to
    /// its four taps with the same weights.
    func resampled(rows: [Interpolation.Tap], columns: [Interpolation.Tap]) -> Tensor {
        let inHeight = shape[rank - 2], inWidth = shape[rank - 1]
        let height = rows.count, width = columns.count
        let planes = count / Swift.max(inHeight * inWidth, 1)
        // The taps carry the mode; any `Interpolation` value runs them.
        let values = Interpolation.nearest.resample(data, planes: planes, height: inHeight, width: inWidth, rows: rows, columns: columns)
        var resultShape = shape
        resultShape[rank - 2] = height
        resultShape[rank - 1] = width
        let input = self
        return Tensor.makeResult(shape: resultShape, data: values, parents: [input]) { outputGradient, _ in
            // The transpose of the forward: each output gradient goes back to its four taps.
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
}
