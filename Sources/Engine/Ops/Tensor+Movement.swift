/// Ops that move values without computing new ones: reshape, slice, concat, pad, roll.
extension Tensor {
    /// The same values with a new shape; one dimension may be -1 (inferred).
    public func reshape(_ newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw EngineError.invalid("reshape: \(newShape) may contain at most one -1 and no other negative size")
        }
        if let axis = inferred.first {
            let known = newShape.filter { $0 != -1 }.reduce(1, *)
            guard known > 0, count % known == 0 else {
                throw EngineError.shapeMismatch("reshape: cannot infer -1 in \(newShape) for \(count) values")
            }
            resolved[axis] = count / known
        }
        guard resolved.reduce(1, *) == count, !resolved.isEmpty else {
            throw EngineError.shapeMismatch("reshape: \(shape) has \(count) values, \(newShape) needs \(resolved.reduce(1, *))")
        }
        let input = self
        return Tensor.makeResult(shape: resolved, data: data, parents: [input]) { outputGradient, _ in
            input.accumulateGradient(outputGradient)
        }
    }

    /// [N, rest...] -> [N, product of rest].
    public func flatten() throws -> Tensor {
        guard let batch = shape.first else { return self }
        return try reshape([batch, batch == 0 ? 0 : count / batch])
    }

    /// The elements whose index along `axis` lies in `range`.
    public func slice(axis: Int, range: Range<Int>) throws -> Tensor {
        let axis = try normalizedAxis(axis, operation: "slice")
        guard range.lowerBound >= 0, range.upperBound <= shape[axis] else {
            throw EngineError.invalid("slice: range \(range) is outside 0..<\(shape[axis]) on axis \(axis) of \(shape)")
        }
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let length = shape[axis]
        let kept = range.count
        var values: [Float] = []
        values.reserveCapacity(outer * kept * inner)
        for o in 0..<outer {
            let start = (o * length + range.lowerBound) * inner
            values.append(contentsOf: data[start..<(start + kept * inner)])
        }
        var resultShape = shape
        resultShape[axis] = kept
        let input = self
        return Tensor.makeResult(shape: resultShape, data: values, parents: [input]) { outputGradient, _ in
            input.accumulateGradient { g in
                for o in 0..<outer {
                    let start = (o * length + range.lowerBound) * inner
                    for i in 0..<(kept * inner) { g[start + i] += outputGradient[o * kept * inner + i] }
                }
            }
        }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concat(_ parts: [Tensor], axis: Int) throws -> Tensor {
        guard let first = parts.first else { throw EngineError.invalid("concat: no tensors to join") }
        let axis = try first.normalizedAxis(axis, operation: "concat")
        for part in parts {
            var a = part.shape, b = first.shape
            guard a.count == b.count else {
                throw EngineError.shapeMismatch("concat: shapes \(first.shape) and \(part.shape) differ in rank")
            }
            a[axis] = 0; b[axis] = 0
            guard a == b else {
                throw EngineError.shapeMismatch("concat: shapes \(first.shape) and \(part.shape) differ outside axis \(axis)")
            }
        }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        let lengths = parts.map { $0.shape[axis] }
        let total = lengths.reduce(0, +)
        var values: [Float] = []
        values.reserveCapacity(outer * total * inner)
        for o in 0..<outer {
            for (part, length) in zip(parts, lengths) {
                let start = o * length * inner
                values.append(contentsOf: part.data[start..<(start + length * inner)])
            }
        }
        var resultShape = first.shape
        resultShape[axis] = total
        return Tensor.makeResult(shape: resultShape, data: values, parents: parts) { outputGradient, _ in
            var offset = 0
            for (part, length) in zip(parts, lengths) {
                let partOffset = offset
                part.accumulateGradientCovering { g, overwrite in
                    outputGradient.withUnsafeBufferPointer { dy in
                        guard let target = g.baseAddress, let source = dy.baseAddress else { return }
                        for o in 0..<outer {
                            let from = source + (o * total + partOffset) * inner
                            let to = target + o * length * inner
                            if overwrite {
                                to.initialize(from: from, count: length * inner)
                            } else {
                                for i in 0..<(length * inner) { to[i] += from[i] }
                            }
                        }
                    }
                }
                offset += length
            }
        }
    }

    /// Pads the last two dimensions (H, W) with a constant.
    public func pad(top: Int, left: Int, bottom: Int, right: Int, value: Float = 0) throws -> Tensor {
        guard rank >= 2 else { throw EngineError.invalid("pad: needs at least 2 dimensions, got \(shape)") }
        guard top >= 0, left >= 0, bottom >= 0, right >= 0 else {
            throw EngineError.invalid("pad: amounts must be non-negative, got \(top), \(left), \(bottom), \(right)")
        }
        let height = shape[rank - 2], width = shape[rank - 1]
        let planes = count / Swift.max(height * width, 1)
        let newHeight = height + top + bottom, newWidth = width + left + right
        var values = [Float](repeating: value, count: planes * newHeight * newWidth)
        for p in 0..<planes {
            for y in 0..<height {
                let source = (p * height + y) * width
                let target = (p * newHeight + y + top) * newWidth + left
                for x in 0..<width { values[target + x] = data[source + x] }
            }
        }
        var resultShape = shape
        resultShape[rank - 2] = newHeight
        resultShape[rank - 1] = newWidth
        let input = self
        return Tensor.makeResult(shape: resultShape, data: values, parents: [input]) { outputGradient, _ in
            input.accumulateGradient { g in
                for p in 0..<planes {
                    for y in 0..<height {
                        let source = (p * newHeight + y + top) * newWidth + left
                        let target = (p * height + y) * width
                        for x in 0..<width { g[target + x] += outputGradient[source + x] }
                    }
                }
            }
        }
    }

    /// Shifts the last two dimensions cyclically (pixels leaving one edge enter at the other):
    /// the "jitter" of class visualization and DeepDream. Positive dy moves content down.
    public func roll(dy: Int, dx: Int) throws -> Tensor {
        guard rank >= 2 else { throw EngineError.invalid("roll: needs at least 2 dimensions, got \(shape)") }
        let height = shape[rank - 2], width = shape[rank - 1]
        guard height > 0, width > 0 else { return self }
        let planes = count / (height * width)
        let shiftY = ((dy % height) + height) % height, shiftX = ((dx % width) + width) % width
        var values = [Float](repeating: 0, count: count)
        for p in 0..<planes {
            for y in 0..<height {
                let targetRow = (p * height + (y + shiftY) % height) * width
                let sourceRow = (p * height + y) * width
                for x in 0..<width { values[targetRow + (x + shiftX) % width] = data[sourceRow + x] }
            }
        }
        let input = self
        return Tensor.makeResult(shape: shape, data: values, parents: [input]) { outputGradient, _ in
            input.accumulateGradient { g in
                for p in 0..<planes {
                    for y in 0..<height {
                        let targetRow = (p * height + (y + shiftY) % height) * width
                        let sourceRow = (p * height + y) * width
                        for x in 0..<width { g[sourceRow + x] += outputGradient[targetRow + (x + shiftX) % width] }
                    }
                }
            }
        }
    }
}
