/// TensorFlow Playground's view of a network on 2-D points: the class it predicts at every
/// point of a square of the plane (the decision regions) and every hidden neuron's output over
/// the same square (the Playground's small per-neuron maps).
///
/// The square is [-extent, extent]^2, sampled at the centres of a resolution x resolution grid;
/// row 0 is the top (y = +extent), column 0 the left (x = -extent), as the picture is drawn.
public struct DecisionPlane {
    public let extent: Float
    public let resolution: Int
    /// The arg max class at each grid point, row-major (resolution^2).
    public let predictions: [Int]
    /// Each hidden neuron's output at each grid point: the outputs of every hidden layer after
    /// its nonlinearity, in layer order, neuron order within a layer.
    public let neurons: [(layer: String, values: [Float])]

    /// The plane coordinates of grid point (row, column).
    public static func point(row: Int, column: Int, extent: Float, resolution: Int) -> (x: Float, y: Float) {
        let step = 2 * extent / Float(resolution)
        return (-extent + (Float(column) + 0.5) * step, extent - (Float(row) + 0.5) * step)
    }

    /// The half-width of a square holding every point of `data` with a 10% margin, at least 1
    /// (toy2d's sets lie in about [-1, 1]^2).
    public static func extent(of data: LabeledDataset) -> Float {
        let largest = data.inputs.lazy.filter(\.isFinite).map { abs($0) }.max() ?? 1
        return max(1, largest * 1.1)
    }

    /// Whether `network` takes 2-D points ([1, 1, 2]) and classifies them: what this view needs.
    public static func applies(to network: TrainableNetwork) -> Bool {
        network.inputShape == [1, 1, 2] && !network.classNames.isEmpty
    }

    /// Evaluates `network` (inference semantics, live weights, no gradients recorded) on the
    /// grid. Throws `EngineError.invalid` unless the network takes 2-D points and classifies,
    /// or for a resolution outside 2...512.
    public static func compute(_ network: TrainableNetwork, extent: Float, resolution: Int) throws -> DecisionPlane {
        guard applies(to: network) else {
            throw EngineError.invalid("decision regions: \(network.name) takes \(network.inputShape), not 2-D points, or does not classify")
        }
        guard (2...512).contains(resolution), extent > 0, extent.isFinite else {
            throw EngineError.invalid("decision regions: resolution \(resolution) must be in 2...512 and extent \(extent) positive")
        }
        var grid = [Float]()
        grid.reserveCapacity(resolution * resolution * 2)
        for row in 0..<resolution {
            for column in 0..<resolution {
                let p = point(row: row, column: column, extent: extent, resolution: resolution)
                grid += [p.x, p.y]
            }
        }
        let count = resolution * resolution
        let hidden = hiddenOutputs(network)
        let values = try network.inferenceValues(try Tensor(shape: [count, 1, 1, 2], data: grid),
                                                 nodes: Set(hidden + [network.logitsNode]))
        guard let logits = values[network.logitsNode] else {
            throw EngineError.invalid("decision regions: \(network.name) computed no logits")
        }
        var neurons: [(layer: String, values: [Float])] = []
        for name in hidden {
            guard let output = values[name] else { continue }
            let width = output.count / count
            for neuron in 0..<width {
                neurons.append((layer: name, values: (0..<count).map { output.data[$0 * width + neuron] }))
            }
        }
        return DecisionPlane(extent: extent, resolution: resolution,
                             predictions: Evaluation.argmax(logits.data, width: logits.count / count), neurons: neurons)
    }

    /// The nodes whose outputs are the hidden layers': each nonlinearity (relu, tanh, sigmoid)
    /// before the logits.
    static func hiddenOutputs(_ network: TrainableNetwork) -> [String] {
        var names: [String] = []
        for node in network.graph.nodes {
            if node.name == network.logitsNode { break }
            switch node.op {
            case .relu, .tanh, .sigmoid: names.append(node.name)
            default: break
            }
        }
        return names
    }
}

extension TrainableNetwork {
    /// The outputs of `nodes` for x ([N] + inputShape), with inference semantics on the live
    /// weights and no gradients recorded; stops at the last node asked for.
    func inferenceValues(_ x: Tensor, nodes wanted: Set<String>) throws -> [String: Tensor] {
        let parameters = trainableParameters.map(\.tensor)
        let recording = parameters.map(\.requiresGrad)
        for tensor in parameters { tensor.requiresGrad = false }
        defer { for (tensor, flag) in zip(parameters, recording) { tensor.requiresGrad = flag } }
        var values = [LayerGraph.inputName: x]
        var result: [String: Tensor] = [:]
        for node in graph.nodes where result.count < wanted.count {
            let inputs = node.inputs.compactMap { values[$0] }
            do {
                values[node.name] = try node.apply(inputs)
            } catch let error as EngineError {
                throw LayerGraph.naming(node, inputShapes: inputs.map(\.shape), error)
            }
            if wanted.contains(node.name) { result[node.name] = values[node.name] }
        }
        return result
    }
}
