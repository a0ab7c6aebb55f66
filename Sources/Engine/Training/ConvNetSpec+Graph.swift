/// Building a spec's `LayerGraph` with seeded initial weights.
///
/// Initialisation: layers followed by ReLU get He et al. 2015 ("Delving deep into
/// rectifiers", §2.2): N(0, 2 / fan_in); all others Glorot & Bengio 2010 ("Understanding the
/// difficulty of training deep feedforward neural networks", eq. 16): U(±√(6 / (fan_in +
/// fan_out))). Biases start at 0, batch norm at gamma 1, beta 0, mean 0, variance 1.
extension ConvNetSpec {
    /// The graph for examples of shape `input` ([channels, height, width]), with nodes named
    /// conv1, pool1, fc1, dropout1, bn1, relu1 ... by kind and position. A layer's own
    /// activation is a node "<layer>.<activation>" in the same user-visible layer, so the
    /// layer's output is after its nonlinearity (as ConvNetJS shows it); an fc layer after an
    /// image has a "<layer>.flatten" node first. Throws `ConvNetSpecError` at the layer whose
    /// shape does not work (a window larger than its input, softmax not last, ...).
    public func graph(input: [Int], random: inout SeededRandom) throws -> LayerGraph {
        guard input.count == 3, input.allSatisfy({ $0 > 0 }) else {
            throw ConvNetSpecError(message: "the input must be [channels, height, width] with positive sizes, got \(input)",
                                   range: 0..<0)
        }
        var shape = input
        var nodes: [LayerNode] = []
        var counters: [String: Int] = [:]
        var previous = LayerGraph.inputName
        func name(_ kind: String) -> String {
            counters[kind, default: 0] += 1
            return "\(kind)\(counters[kind] ?? 1)"
        }
        func add(_ node: LayerNode) {
            nodes.append(node)
            previous = node.name
        }
        func addActivation(_ activation: Activation?, layer: String, at range: Range<Int>, last: Bool) throws {
            guard let activation else { return }
            let op: LayerOp
            switch activation {
            case .relu: op = .relu
            case .tanh: op = .tanh
            case .sigmoid: op = .sigmoid
            case .softmax:
                // The softmax is the loss (`SoftmaxCrossEntropy`): the graph ends at the logits.
                guard last else { throw ConvNetSpecError(message: "softmax must be the last layer (it is the classifier's loss)", range: range) }
                return
            }
            add(LayerNode(name: "\(layer).\(activation.rawValue)", op: op, inputs: [previous], layer: layer))
        }
        for (position, layer) in layers.enumerated() {
            let last = position == layers.count - 1
            let heReLU = ConvNetSpec.followedByReLU(layers, position)
            switch layer.kind {
            case let .conv(kernel, filters, stride, pad, activation):
                guard shape.count == 3 else {
                    throw ConvNetSpecError(message: "conv needs an image, but the input here is \(shape.count == 1 ? "a vector of \(shape[0])" : "\(shape)")", range: layer.range)
                }
                let padding = pad ?? (kernel - 1) / 2
                let height = (shape[1] + 2 * padding - kernel) / stride + 1
                let width = (shape[2] + 2 * padding - kernel) / stride + 1
                guard shape[1] + 2 * padding >= kernel, shape[2] + 2 * padding >= kernel else {
                    throw ConvNetSpecError(message: "a \(kernel)x\(kernel) kernel does not fit the \(shape[1])x\(shape[2]) input here", range: layer.range)
                }
                let layerName = name("conv")
                let fanIn = shape[0] * kernel * kernel, fanOut = filters * kernel * kernel
                let weight = try ConvNetSpec.initialWeights([filters, shape[0], kernel, kernel], fanIn: fanIn, fanOut: fanOut,
                                                           he: heReLU, random: &random)
                add(LayerNode(name: layerName, op: .convolution(ConvolutionAttributes(stride: stride, padding: .symmetric(padding))),
                              inputs: [previous], parameters: ["weight": weight, "bias": try Tensor(zeros: [filters])],
                              layer: layerName))
                shape = [filters, height, width]
                try addActivation(activation, layer: layerName, at: layer.range, last: last)
            case let .pool(size, stride):
                guard shape.count == 3, shape[1] >= size, shape[2] >= size else {
                    throw ConvNetSpecError(message: "a \(size)x\(size) pooling window does not fit the input here (\(shape))", range: layer.range)
                }
                add(LayerNode(name: name("pool"), op: .maxPool(PoolAttributes(kernel: size, stride: stride)), inputs: [previous]))
                shape = [shape[0], (shape[1] - size) / stride + 1, (shape[2] - size) / stride + 1]
            case let .fc(outputs, activation):
                let layerName = name("fc")
                if shape.count > 1 {
                    add(LayerNode(name: "\(layerName).flatten", op: .flatten, inputs: [previous], layer: layerName))
                }
                let fanIn = shape.reduce(1, *)
                let weight = try ConvNetSpec.initialWeights([outputs, fanIn], fanIn: fanIn, fanOut: outputs, he: heReLU, random: &random)
                add(LayerNode(name: layerName, op: .linear, inputs: [previous],
                              parameters: ["weight": weight, "bias": try Tensor(zeros: [outputs])], layer: layerName))
                shape = [outputs]
                try addActivation(activation, layer: layerName, at: layer.range, last: last)
            case .dropout(let p):
                add(LayerNode(name: name("dropout"), op: .dropout(ratio: p), inputs: [previous]))
            case .batchnorm:
                let channels = shape[0]
                add(LayerNode(name: name("bn"), op: .batchNorm(epsilon: 1e-5), inputs: [previous], parameters: [
                    "gamma": try Tensor(shape: [channels], repeating: 1), "beta": try Tensor(zeros: [channels]),
                    "mean": try Tensor(zeros: [channels]), "variance": try Tensor(shape: [channels], repeating: 1),
                ]))
            case .activation(let activation):
                guard activation != .softmax else {
                    guard last else { throw ConvNetSpecError(message: "softmax must be the last layer (it is the classifier's loss)", range: layer.range) }
                    continue
                }
                let layerName = name(activation.rawValue)
                try addActivation(activation, layer: layerName, at: layer.range, last: last)
                // A lone activation is a layer of its own: name the node by the layer.
                if let node = nodes.popLast() {
                    add(LayerNode(name: layerName, op: node.op, inputs: node.inputs))
                }
            }
        }
        do {
            return try LayerGraph(nodes: nodes)
        } catch {
            throw ConvNetSpecError(message: "the spec has no computing layer", range: 0..<0)
        }
    }

    /// The batch-free output shape of the graph for `input`: [classes] for a classifier.
    public func outputShape(input: [Int]) throws -> [Int] {
        var random = SeededRandom(seed: 0)
        let graph = try graph(input: input, random: &random)
        let shapes = try graph.shapes(input: [1] + input)
        return Array((shapes[graph.output] ?? []).dropFirst())
    }

    /// Whether layer `position` is followed by a ReLU (its own, or a lone one after an
    /// optional batch norm), which decides He or Glorot initialisation.
    static func followedByReLU(_ layers: [Layer], _ position: Int) -> Bool {
        switch layers[position].kind {
        case .conv(_, _, _, _, let activation), .fc(_, let activation):
            if let activation { return activation == .relu }
        default: return false
        }
        var next = position + 1
        while next < layers.count {
            switch layers[next].kind {
            case .batchnorm, .dropout: next += 1
            case .activation(let activation): return activation == .relu
            default: return false
            }
        }
        return false
    }

    /// He normal (std √(2 / fanIn)) or Glorot uniform (limit √(6 / (fanIn + fanOut))) values.
    static func initialWeights(_ shape: [Int], fanIn: Int, fanOut: Int, he: Bool, random: inout SeededRandom) throws -> Tensor {
        if he {
            return try Tensor.randomNormal(shape: shape, standardDeviation: (2 / Float(fanIn)).squareRoot(), using: &random)
        }
        let limit = (6 / Float(fanIn + fanOut)).squareRoot()
        return try Tensor.randomUniform(shape: shape, low: -limit, high: limit, using: &random)
    }

    /// The spec of a multilayer perceptron with layer sizes `sizes` ([inputs, hidden ...,
    /// outputs]) and `activation` after each hidden layer (TensorFlow Playground's networks).
    /// Throws `EngineError.invalid` for fewer than two sizes or a size below 1.
    public static func mlp(_ sizes: [Int], activation: Activation) throws -> ConvNetSpec {
        guard sizes.count >= 2, sizes.allSatisfy({ $0 > 0 }) else {
            throw EngineError.invalid("mlp: needs at least [inputs, outputs], each at least 1, got \(sizes)")
        }
        guard activation != .softmax else { throw EngineError.invalid("mlp: the hidden activation must be relu, tanh or sigmoid") }
        let hidden = sizes.dropFirst().dropLast().map { "fc \($0) \(activation.rawValue)" }
        return try ConvNetSpec((hidden + ["fc \(sizes[sizes.count - 1])"]).joined(separator: ", "))
    }
}
