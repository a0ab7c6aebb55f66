/// Opsets 9 and 10 next to 11 to 21: the operator versions whose form or meaning changed
/// (each operator's changelog at https://onnx.ai/onnx/operators/).
///
/// Where only the form changed (an attribute became an input), the node is rewritten to its
/// current form when the model is read, with the attribute's values as new initializers, so
/// everything after reading sees one form:
/// - Clip-6 (opsets 6 to 10): bounds in attributes `min`, `max` -> Clip-11 inputs 1 and 2.
/// - Slice-1 (opsets 1 to 9): `starts`, `ends`, `axes` attributes -> Slice-10 inputs 1 to 3.
/// - Pad-2 (opsets 2 to 10): `pads` and `value` attributes -> Pad-11 inputs 1 and 2 (same layout).
/// Differences handled where the operator is read: Softmax and LogSoftmax before 13 (normalise
/// over the axes from `axis` on; default axis 1), Squeeze/Unsqueeze axes and ReduceSum axes as
/// attributes before 13, ReduceMean's before 18, Dropout's `ratio` attribute before 12, Gemm's C
/// required before 11 (a superset of what 11 accepts), MaxPool/AveragePool without `ceil_mode`
/// and `dilations` before 10 (their defaults apply).
/// Refused, naming the opset: Resize-10 (no coordinate_transformation_mode: its sampling grid is
/// not the one any mapped Resize mode describes), and operators used in an opset older than the
/// one that introduced them.
enum ONNXOpsetForms {
    /// The first opset of the default domain that has each operator (operators not listed exist in opset 9).
    static let introduced: [String: Int] = [
        "HardSwish": 14, "QuantizeLinear": 10, "DequantizeLinear": 10, "Resize": 10,
    ]

    /// `nodes` in their current form, and the initializers the rewrites add. `defined` holds every
    /// value name of the graph, so that new initializers get fresh names.
    static func modernized(_ nodes: [ONNXNode], opset: Int, defined: Set<String>, source: String) throws
        -> (nodes: [ONNXNode], initializers: [(String, ONNXTensor)]) {
        var taken = defined
        var added: [(String, ONNXTensor)] = []
        func constant(_ node: ONNXNode, _ role: String, _ tensor: ONNXTensor) -> String {
            var name = "\(node.name)_\(role)", suffix = 2
            while taken.contains(name) { name = "\(node.name)_\(role)_\(suffix)"; suffix += 1 }
            taken.insert(name)
            added.append((name, tensor))
            return name
        }
        var result: [ONNXNode] = []
        for var node in nodes {
            if let first = introduced[node.opType], opset < first {
                throw EngineError.unsupported("\(source): \(node.label) uses \(node.opType), which ONNX introduced in opset \(first); the model declares opset \(opset)")
            }
            switch node.opType {
            case "Clip" where opset < 11:
                let low = try node.float("min"), high = try node.float("max")
                node.inputs = [node.inputs.first ?? "",
                               try low.map { constant(node, "min", try ONNXTensor(dims: [], floats: [$0])) } ?? "",
                               try high.map { constant(node, "max", try ONNXTensor(dims: [], floats: [$0])) } ?? ""]
                node.attributes = [:]
            case "Slice" where opset < 10:
                guard let starts = try node.ints("starts"), let ends = try node.ints("ends") else {
                    throw EngineError.format("\(source): \(node.label): an opset-\(opset) Slice needs the attributes starts and ends")
                }
                var inputs = [node.inputs.first ?? "",
                              constant(node, "starts", try ONNXTensor(dims: [starts.count], integers: starts.map { Int64($0) })),
                              constant(node, "ends", try ONNXTensor(dims: [ends.count], integers: ends.map { Int64($0) }))]
                if let axes = try node.ints("axes") {
                    inputs.append(constant(node, "axes", try ONNXTensor(dims: [axes.count], integers: axes.map { Int64($0) })))
                }
                node.inputs = inputs
                node.attributes = [:]
            case "Pad" where opset < 11:
                guard let pads = try node.ints("pads") else {
                    throw EngineError.format("\(source): \(node.label): an opset-\(opset) Pad needs the attribute pads")
                }
                node.inputs = [node.inputs.first ?? "",
                               constant(node, "pads", try ONNXTensor(dims: [pads.count], integers: pads.map { Int64($0) })),
                               constant(node, "value", try ONNXTensor(dims: [], floats: [try node.float("value", default: 0)]))]
                node.attributes = node.attributes.filter { $0.key == "mode" }
            case "Resize" where opset < 11:
                throw EngineError.unsupported("\(source): \(node.label) is an opset-\(opset) Resize (Resize-10), whose sampling grid predates coordinate_transformation_mode; export with opset 11 or later")
            default:
                break
            }
            result.append(node)
        }
        return (result, added)
    }
}
