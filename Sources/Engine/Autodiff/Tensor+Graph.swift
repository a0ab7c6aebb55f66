/// Recording the graph: how ops create their outputs and hand gradients to their inputs.
extension Tensor {
    /// Makes an op's output. The graph edge (parents and backward function) is kept only if a
    /// parent requires a gradient; otherwise the closure is dropped at once.
    static func makeResult(shape: [Int], data: [Float], parents: [Tensor],
                           backward: @escaping BackwardFunction) -> Tensor {
        let result = Tensor(validShape: shape, data: data)
        if parents.contains(where: { $0.requiresGrad }) {
            result.requiresGrad = true
            result.parents = parents
            result.backwardFunction = backward
        }
        return result
    }

    /// Adds `gradient` into this tensor's `grad` (+=, since a tensor may feed several ops).
    /// Does nothing for tensors that do not require a gradient.
    func accumulateGradient(_ gradient: [Float]) {
        guard requiresGrad else { return }
        if grad == nil {
            grad = gradient
            return
        }
        grad?.withUnsafeMutableBufferPointer { target in
            gradient.withUnsafeBufferPointer { source in
                for index in 0..<min(target.count, source.count) { target[index] += source[index] }
            }
        }
    }

    /// Adds into `grad` through a pointer, allocating zeros the first time; for ops that
    /// scatter (col2im, pooling, slicing) and would otherwise build a full temporary.
    func accumulateGradient(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard requiresGrad else { return }
        if grad == nil { grad = [Float](repeating: 0, count: count) }
        grad?.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Like `accumulateGradient(_:)` for ops that write every element of the gradient: when
    /// there is none yet, `body` gets an uninitialized buffer and `overwrite == true` and must
    /// set every element (saving the zero fill); otherwise it adds into the existing one.
    func accumulateGradientCovering(_ body: (UnsafeMutableBufferPointer<Float>, _ overwrite: Bool) -> Void) {
        guard requiresGrad else { return }
        if grad == nil {
            let total = count
            grad = [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
                body(buffer, true)
                initialized = total
            }
            return
        }
        grad?.withUnsafeMutableBufferPointer { body($0, false) }
    }

    /// Every tensor this one depends on that requires a gradient, parents before children.
    ///
    /// Depth-first with an explicit stack rather than recursion: a long optimisation
    /// unrolled into one graph, or a deep network, would overflow the thread's stack.
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        var stack: [(node: Tensor, nextParent: Int)] = [(self, 0)]
        while let top = stack.last {
            if top.nextParent < top.node.parents.count {
                stack[stack.count - 1].nextParent += 1
                let parent = top.node.parents[top.nextParent]
                if parent.requiresGrad && visited.insert(ObjectIdentifier(parent)).inserted {
                    stack.append((parent, 0))
                }
            } else {
                stack.removeLast()
                order.append(top.node)
            }
        }
        return order
    }
}
