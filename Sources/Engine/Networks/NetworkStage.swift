/// One named step of a network's forward pass, and the loop that runs a list of them.
///
/// Every network here is a chain of stages (a fire module or an MBConv block is one stage),
/// so stopping early, capturing activations and describing layers are written once.
struct NetworkStage {
    let info: LayerInfo
    let run: (Tensor) throws -> Tensor

    /// Runs `stages` on x up to `until`, keeping the outputs named in `capture`.
    static func forward(_ stages: [NetworkStage], network: String, input x: Tensor, capture: Set<String>,
                        until: String?) throws -> (output: Tensor, activations: [String: Tensor]) {
        let names = stages.map(\.info.name)
        let lastIndex: Int
        if let until {
            guard let index = names.firstIndex(of: until) else {
                throw EngineError.invalid("\(network) has no layer '\(until)'; its layers are \(names.joined(separator: ", "))")
            }
            lastIndex = index
        } else {
            lastIndex = stages.count - 1
        }
        for name in capture {
            guard let index = names.firstIndex(of: name) else {
                throw EngineError.invalid("\(network) has no layer '\(name)'; its layers are \(names.joined(separator: ", "))")
            }
            guard index <= lastIndex else {
                throw EngineError.invalid("\(network): layer '\(name)' comes after '\(names[lastIndex])', where the pass stops")
            }
        }
        var current = x
        var activations: [String: Tensor] = [:]
        for stage in stages[0...lastIndex] {
            try Cancellation.check()
            current = try stage.run(current)
            if current.name == nil { current.name = stage.info.name }
            if capture.contains(stage.info.name) { activations[stage.info.name] = current }
        }
        return (current, activations)
    }
}
