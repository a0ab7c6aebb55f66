/// How `Tensor.padded` fills the values it adds (ONNX Pad's `mode`, https://onnx.ai/onnx/operators/onnx__Pad.html).
public enum PaddingMode: String, Equatable, Sendable, CaseIterable {
    /// A constant value (ONNX "constant", PyTorch `F.pad(mode="constant")`).
    case constant
    /// The values mirrored about the edge, the edge itself not repeated: [a b c] padded by 2
    /// on the left is [c b a b c] (ONNX and NumPy "reflect", PyTorch "reflect"). The style
    /// networks pad this way so that convolutions see no artificial border.
    case reflect
    /// The edge value repeated (ONNX "edge", NumPy "edge", PyTorch "replicate").
    case edge
}

/// Padding (and cropping) of any axes, differentiable.
extension Tensor {
    /// The tensor grown by `pads[axis].before` values before and `pads[axis].after` after each
    /// axis (one pair per axis), filled by `mode`; a negative amount removes that many values
    /// from that side instead (ONNX Pad's negative pads), before any padding is added, as
    /// onnxruntime does. Reflect padding needs each amount below the size left after cropping
    /// (the mirror is then defined without wrapping twice). Throws
    /// `EngineError.invalid` for a wrong number of pairs, an axis that would become empty, or
    /// reflect/edge padding of an empty axis.
    public func padded(_ pads: [(before: Int, after: Int)], mode: PaddingMode, value: Float = 0) throws -> Tensor {
        guard pads.count == rank else {
            throw EngineError.invalid("pad: \(pads.count) (before, after) pairs for a tensor of rank \(rank) (shape \(shape))")
        }
        guard rank >= 1 else { return self }
        var outputShape = shape
        // Per axis, the source index of each output index (-1: the constant).
        var sources: [[Int]] = []
        for (axis, pad) in pads.enumerated() {
            // Negative amounts crop first (onnxruntime's order); reflect and edge then mirror
            // or repeat what is left.
            let size = shape[axis], first = Swift.max(-pad.before, 0)
            let kept = size - first - Swift.max(-pad.after, 0)
            let grown = (before: Swift.max(pad.before, 0), after: Swift.max(pad.after, 0))
            let length = kept + grown.before + grown.after
            guard kept >= 1 else {
                throw EngineError.invalid("pad: pads (\(pad.before), \(pad.after)) leave nothing of axis \(axis) of size \(size)")
            }
            if mode == .reflect, grown.before >= kept || grown.after >= kept, grown.before > 0 || grown.after > 0 {
                throw EngineError.invalid("pad: reflect padding by (\(pad.before), \(pad.after)) on axis \(axis) of size \(size); each amount must be less than the size left after cropping (\(kept))")
            }
            outputShape[axis] = length
            sources.append((0..<length).map { index in
                let offset = index - grown.before
                if offset >= 0 && offset < kept { return first + offset }
                switch mode {
                case .constant: return -1
                case .edge: return first + (offset < 0 ? 0 : kept - 1)
                case .reflect: return first + (offset < 0 ? -offset : 2 * (kept - 1) - offset)
                }
            })
        }
        // Strides of the input, then a walk over the output with the last axis innermost.
        var strides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        let outputCount = outputShape.reduce(1, *)
        var gather = [Int](repeating: -1, count: outputCount)
        if rank > 0 {
            let last = rank - 1, rowLength = outputShape[last]
            var index = [Int](repeating: 0, count: rank)
            var position = 0
            while position < outputCount {
                var base = 0, outside = false
                for axis in 0..<last {
                    let source = sources[axis][index[axis]]
                    if source < 0 { outside = true; break }
                    base += source * strides[axis]
                }
                if !outside {
                    for column in 0..<rowLength {
                        let source = sources[last][column]
                        if source >= 0 { gather[position + column] = base + source }
                    }
                }
                position += rowLength
                var axis = last - 1
                while axis >= 0 {
                    index[axis] += 1
                    if index[axis] < outputShape[axis] { break }
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
        let values = gather.map { $0 < 0 ? value : data[$0] }
        let input = self
        return Tensor.makeResult(shape: outputShape, data: values, parents: [input]) { outputGradient, _ in
            // Each output value came from one input value (or the constant): scatter back, so
            // mirrored and repeated edge values collect every copy's gradient.
            input.accumulateGradient { g in
                for (position, source) in gather.enumerated() where source >= 0 { g[source] += outputGradient[position] }
            }
        }
    }
}
