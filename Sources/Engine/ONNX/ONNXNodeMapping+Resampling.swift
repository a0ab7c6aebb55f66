/// Pad, Resize and Upsample, per https://onnx.ai/onnx/operators/ (onnx__Pad, onnx__Resize,
/// onnx__Upsample), with their opset differences. Batch and channel axes are never resized,
/// and the batch axis never padded: each image of a batch is computed alone.
extension ONNXNodeMapping {
    /// Pad: `pads` from the second input (opset 11+) or the attribute (before), the fill from
    /// the third input (or the `value` attribute), `axes` from the fourth (opset 18+).
    func pad(_ node: ONNXNode) throws -> Mapped {
        let input = try computedInput(node, 0)
        guard let rank = shapes[input]?.count else { throw EngineError.unsupported("\(node.label): padding of a value of unknown rank") }
        let modeName = try node.string("mode") ?? "constant"
        guard let mode = PaddingMode(rawValue: modeName) else {
            throw EngineError.unsupported("\(node.label): Pad mode '\(modeName)'; constant, reflect and edge are mapped")
        }
        let given: [Int]
        if let name = node.input(1) {
            guard let tensor = constants[name] else { throw EngineError.unsupported("\(node.label): pads computed at run time; they must be constant") }
            given = try ONNXConstantEvaluation.integers(node, tensor, "pads").map { Int($0) }
        } else if let attribute = try node.ints("pads") {
            given = attribute
        } else {
            throw EngineError.format("\(node.label): Pad without pads")
        }
        var axes = Array(0..<rank)
        if let name = node.input(3) {
            guard let tensor = constants[name] else { throw EngineError.unsupported("\(node.label): axes computed at run time; they must be constant") }
            axes = try ONNXShapeMath.axes(try ONNXConstantEvaluation.integers(node, tensor, "axes").map { Int($0) }, rank: rank, node)
        }
        guard given.count == 2 * axes.count else {
            throw EngineError.format("\(node.label): \(given.count) pads for \(axes.count) axes (two per axis: all begins, then all ends)")
        }
        var pads = [Int](repeating: 0, count: 2 * rank)
        for (index, axis) in axes.enumerated() {
            pads[axis] = given[index]
            pads[axis + rank] = given[index + axes.count]
        }
        guard pads[0] == 0, pads[rank] == 0 else {
            throw EngineError.unsupported("\(node.label): pads \(given) pad the batch axis; only padding of the other axes is mapped")
        }
        var value: Float = 0
        if let name = node.input(2) {
            guard let tensor = constants[name], tensor.count == 1, let fill = tensor.floats.first else {
                throw EngineError.unsupported("\(node.label): constant_value must be one constant value")
            }
            value = fill
        } else if let attribute = try node.float("value") {
            value = attribute
        }
        return Mapped(op: .pad(PadAttributes(pads: pads, mode: mode, value: value)), inputs: [input])
    }

    /// Resize (opset 11+: X, roi, scales, sizes; opset 10: X, scales) and Upsample (X, scales,
    /// or the `scales` attribute before opset 9) on the spatial axes of [N, C, H, W].
    func resize(_ node: ONNXNode) throws -> Mapped {
        let input = try computedInput(node, 0)
        guard let shape = shapes[input], shape.count == 4 else {
            throw EngineError.unsupported("\(node.label): resizing of a value of shape \(shapes[input].map { "\($0)" } ?? "unknown"); only [N, C, H, W] images are mapped")
        }
        // Before Resize-11 (Upsample, Resize-10) the rule was fixed: asymmetric coordinates,
        // nearest rounding that floors when enlarging (onnxruntime's Upsample).
        let modern = node.opType == "Resize" && opsetVersion >= 11
        let modeName = try node.string("mode") ?? "nearest"
        guard let mode = ResizeSampling.Mode(rawValue: modeName == "bilinear" && !modern ? "linear" : modeName) else {
            throw EngineError.unsupported("\(node.label): mode '\(modeName)'; nearest and linear are mapped")
        }
        var sampling = ResizeSampling(mode: mode, coordinateTransformation: .asymmetric, nearestRounding: .simple)
        if modern {
            let transformation = try node.string("coordinate_transformation_mode") ?? "half_pixel"
            guard let parsed = ResizeSampling.CoordinateTransformation(rawValue: transformation) else {
                throw EngineError.unsupported("\(node.label): coordinate_transformation_mode '\(transformation)'; half_pixel, pytorch_half_pixel, asymmetric and align_corners are mapped")
            }
            let rounding = try node.string("nearest_mode") ?? "round_prefer_floor"
            guard let nearest = ResizeSampling.NearestRounding(rawValue: rounding), nearest != .simple else {
                throw EngineError.unsupported("\(node.label): nearest_mode '\(rounding)'; round_prefer_floor, round_prefer_ceil, floor and ceil are mapped")
            }
            sampling = ResizeSampling(mode: mode, coordinateTransformation: parsed, nearestRounding: nearest)
            if try node.int("antialias", default: 0) != 0 { throw EngineError.unsupported("\(node.label): antialias 1; only resizing without an antialiasing filter is mapped") }
            if try node.int("exclude_outside", default: 0) != 0 { throw EngineError.unsupported("\(node.label): exclude_outside 1 is not mapped") }
            let policy = try node.string("keep_aspect_ratio_policy") ?? "stretch"
            guard policy == "stretch" else { throw EngineError.unsupported("\(node.label): keep_aspect_ratio_policy '\(policy)'; only stretch is mapped") }
        }
        let axes = try node.ints("axes").map { try ONNXShapeMath.axes($0, rank: 4, node) } ?? [0, 1, 2, 3]
        var scales = [Double](repeating: 1, count: 4)
        var sizes: [Int]? = nil
        let scalesIndex = node.opType == "Upsample" || !modern ? 1 : 2
        if modern, let name = node.input(3) {
            guard let tensor = constants[name] else { throw EngineError.unsupported("\(node.label): sizes computed at run time; they must be constant") }
            let values = try ONNXConstantEvaluation.integers(node, tensor, "sizes").map { Int($0) }
            guard values.count == axes.count, values.allSatisfy({ $0 >= 1 }) else {
                throw EngineError.format("\(node.label): sizes \(values) do not fit axes \(axes)")
            }
            var resolved = shape
            for (index, axis) in axes.enumerated() { resolved[axis] = values[index] }
            // onnxruntime's scale for sizes is their ratio to the input.
            for axis in 0..<4 { scales[axis] = Double(Float(resolved[axis]) / Float(shape[axis])) }
            sizes = resolved
        } else {
            let values: [Float]
            if let name = node.input(scalesIndex) {
                guard let tensor = constants[name] else { throw EngineError.unsupported("\(node.label): scales computed at run time; they must be constant") }
                values = tensor.floats
            } else if let attribute = try node.floats("scales") {
                values = attribute
            } else {
                throw EngineError.format("\(node.label): neither scales nor sizes are given")
            }
            guard values.count == axes.count, values.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw EngineError.format("\(node.label): scales \(values) do not fit axes \(axes)")
            }
            for (index, axis) in axes.enumerated() { scales[axis] = Double(values[index]) }
        }
        guard scales[0] == 1, scales[1] == 1 else {
            throw EngineError.unsupported("\(node.label): a resize of the batch or channel axis (scales \(scales)); only height and width are resized")
        }
        let attributes = ResizeAttributes(sampling: sampling, scaleHeight: scales[2], scaleWidth: scales[3],
                                          height: sizes?[2], width: sizes?[3])
        return Mapped(op: .resize(attributes), inputs: [input])
    }
}
