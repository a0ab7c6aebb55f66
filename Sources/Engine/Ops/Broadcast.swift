/// How two shapes combine elementwise: NumPy broadcasting, plus the channel rule of CNNs.
///
/// NumPy aligns shapes at their last dimension. A per-channel vector `[C]` meant for an
/// NCHW tensor would then line up with W, so a rank-1 operand whose length equals the
/// channel count of a rank-4 operand is first read as `[1, C, 1, 1]`.
struct Broadcast {
    /// Shape of the result.
    let shape: [Int]
    /// Element strides of the left and right operand in the result's index space (0 = repeated).
    let leftStrides: [Int]
    let rightStrides: [Int]
    /// True when both operands already have the result's shape (the fast path).
    let isTrivial: Bool

    init(_ left: [Int], _ right: [Int], operation: String) throws {
        var left = left, right = right
        if left.count == 4 && right.count == 1 && right[0] == left[1] && right[0] != 1 { right = [1, right[0], 1, 1] }
        if right.count == 4 && left.count == 1 && left[0] == right[1] && left[0] != 1 { left = [1, left[0], 1, 1] }
        let rank = max(left.count, right.count)
        let paddedLeft = [Int](repeating: 1, count: rank - left.count) + left
        let paddedRight = [Int](repeating: 1, count: rank - right.count) + right
        var shape: [Int] = []
        for (a, b) in zip(paddedLeft, paddedRight) {
            guard a == b || a == 1 || b == 1 else {
                throw EngineError.shapeMismatch("\(operation): shapes \(left) and \(right) cannot be broadcast together")
            }
            shape.append(a == 1 ? b : a)
        }
        self.shape = shape
        self.leftStrides = Broadcast.strides(of: paddedLeft, in: shape)
        self.rightStrides = Broadcast.strides(of: paddedRight, in: shape)
        self.isTrivial = paddedLeft == shape && paddedRight == shape
    }

    /// Row-major strides of `operand`, with 0 on every dimension it repeats along.
    private static func strides(of operand: [Int], in shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: shape.count)
        var step = 1
        for axis in (0..<shape.count).reversed() {
            strides[axis] = operand[axis] == 1 && shape[axis] != 1 ? 0 : step
            step *= operand[axis]
        }
        return strides
    }

    /// Calls `body(outputIndex, leftIndex, rightIndex)` for every element of the result, in order.
    @inline(__always)
    func forEach(_ body: (Int, Int, Int) -> Void) {
        let total = shape.reduce(1, *)
        guard total > 0 else { return }
        if isTrivial {
            for index in 0..<total { body(index, index, index) }
            return
        }
        let rank = shape.count
        let innerCount = shape[rank - 1]
        let innerLeft = leftStrides[rank - 1], innerRight = rightStrides[rank - 1]
        var counter = [Int](repeating: 0, count: rank)
        var output = 0, leftBase = 0, rightBase = 0
        while output < total {
            for inner in 0..<innerCount {
                body(output + inner, leftBase + inner * innerLeft, rightBase + inner * innerRight)
            }
            output += innerCount
            // Odometer over the outer dimensions.
            var axis = rank - 2
            while axis >= 0 {
                counter[axis] += 1
                leftBase += leftStrides[axis]
                rightBase += rightStrides[axis]
                if counter[axis] < shape[axis] { break }
                leftBase -= leftStrides[axis] * shape[axis]
                rightBase -= rightStrides[axis] * shape[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
    }
}
