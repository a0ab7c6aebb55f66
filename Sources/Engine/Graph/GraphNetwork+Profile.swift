import Dispatch

/// Per-node timing of a forward pass, for finding where a network's time goes
/// (`convlens bench onnx --profile`, `convlens bench engine --profile`).
extension GraphNetwork {
    /// Time spent in one node of a forward pass.
    public struct NodeTiming: Sendable {
        public let node: String
        /// The op as `layers(net)` describes it ("conv 3x3 + relu", "concat").
        public let kind: String
        public let milliseconds: Double
    }

    /// Runs x ([N, C, H, W]) through every node up to the graph output `repetitions` times and
    /// returns, per node in graph order, its median wall time in milliseconds. Nothing is
    /// recorded for autodiff unless x requires a gradient. Throws what `forward` throws.
    public func profile(_ x: Tensor, repetitions: Int = 5) throws -> [NodeTiming] {
        try ImageTensorLayout.checkInput(x, channels: inputChannels, network: name)
        let positions = graph.ancestors(of: [graph.output])
        var samples = Array(repeating: [Double](), count: graph.nodes.count)
        for _ in 0..<max(1, repetitions) {
            var values: [String: Tensor] = [LayerGraph.inputName: x]
            for position in positions {
                let node = graph.nodes[position]
                let inputs = node.inputs.compactMap { values[$0] }
                let start = DispatchTime.now().uptimeNanoseconds
                let output = try node.apply(inputs)
                samples[position].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
                values[node.name] = output
            }
        }
        return positions.map { position in
            let node = graph.nodes[position]
            let sorted = samples[position].sorted()
            return NodeTiming(node: node.name, kind: node.op.kind(kernel: node.kernelSize),
                              milliseconds: sorted.isEmpty ? 0 : sorted[sorted.count / 2])
        }
    }
}
