/// A network described in one line, in the spirit of ConvNetJS's layer definitions
/// (https://cs.stanford.edu/people/karpathy/convnetjs/, its MNIST demo's
/// `{type:'conv', sx:5, filters:8, stride:1, pad:2, activation:'relu'}` ...), written as
/// comma-separated layers:
///
///     conv 5x5 8 relu, pool 2, conv 5x5 16 relu, pool 3, fc 10 softmax
///
/// Layers and their words (any order after the layer's kind):
/// - `conv KxK N [relu|tanh|sigmoid] [stride S] [pad P]`: N filters of K×K (or `conv K N`);
///   the padding defaults to (K − 1) / 2, which keeps the size for odd kernels and stride 1
///   (the MNIST demo pads 5×5 kernels by 2).
/// - `pool N [stride S]`: max pooling N×N with stride N (ConvNetJS's default stride is the
///   window), output floor((size − N) / S) + 1 as in ConvNetJS's PoolLayer.
/// - `fc N [relu|tanh|sigmoid|softmax]`: fully connected with N outputs (flattening first).
///   `softmax` marks the classifier head: like ConvNetJS's softmax layer it is the loss, so
///   the network's output stays the logits and training uses softmax cross-entropy on them.
/// - `dropout p` (0 ≤ p < 1), `batchnorm`, and `relu`, `tanh`, `sigmoid` alone.
public struct ConvNetSpec: Equatable, Sendable {
    /// One parsed layer with the character range of its text in the spec.
    public struct Layer: Equatable, Sendable {
        public enum Kind: Equatable, Sendable {
            case conv(kernel: Int, filters: Int, stride: Int, pad: Int?, activation: Activation?)
            case pool(size: Int, stride: Int)
            case fc(outputs: Int, activation: Activation?)
            case dropout(Float)
            case batchnorm
            case activation(Activation)
        }

        public let kind: Kind
        /// Offsets (in Characters) of this layer's text in the spec string.
        public let range: Range<Int>
    }

    /// The nonlinearities a layer may end with.
    public enum Activation: String, Equatable, Sendable, CaseIterable {
        case relu, tanh, sigmoid, softmax
    }

    public let layers: [Layer]

    /// Parses `text`. Throws `ConvNetSpecError` with the character range of the first bad
    /// word (or of the whole layer when a required word is missing).
    public init(_ text: String) throws {
        let characters = Array(text)
        var layers: [Layer] = []
        var start = 0
        while start <= characters.count {
            var end = start
            while end < characters.count, characters[end] != "," { end += 1 }
            let words = ConvNetSpec.words(characters, start..<end)
            guard let first = words.first else {
                // At the very end there is nothing after the comma to point at: point at it.
                let range = start < characters.count ? start..<max(start + 1, end) : max(0, start - 1)..<max(1, start)
                throw ConvNetSpecError(message: "an empty layer (two commas, or a comma at the end)", range: range)
            }
            let layerRange = first.range.lowerBound..<(words.last?.range.upperBound ?? end)
            layers.append(Layer(kind: try ConvNetSpec.parseLayer(words, range: layerRange), range: layerRange))
            start = end + 1
        }
        self.layers = layers
    }

    typealias Word = (text: String, range: Range<Int>)

    /// The whitespace-separated words of `characters[range]`, lowercased, with their offsets.
    static func words(_ characters: [Character], _ range: Range<Int>) -> [Word] {
        var result: [Word] = []
        var index = range.lowerBound
        while index < range.upperBound {
            if characters[index].isWhitespace { index += 1; continue }
            let begin = index
            while index < range.upperBound, !characters[index].isWhitespace { index += 1 }
            result.append((String(characters[begin..<index]).lowercased(), begin..<index))
        }
        return result
    }

    static func parseLayer(_ words: [Word], range: Range<Int>) throws -> Layer.Kind {
        let head = words[0]
        var rest = Array(words.dropFirst())
        func positive(_ word: Word, _ what: String) throws -> Int {
            guard let value = Int(word.text), value > 0 else {
                throw ConvNetSpecError(message: "\(what) must be a positive whole number, got '\(word.text)'", range: word.range)
            }
            return value
        }
        func missing(_ what: String) -> ConvNetSpecError {
            ConvNetSpecError(message: "'\(head.text)' needs \(what)", range: range)
        }
        /// Removes "stride S" / "pad P" pairs and a trailing activation from `rest`.
        func options(allowed: [Activation], pad: Bool) throws -> (stride: Int?, pad: Int?, activation: Activation?) {
            var stride: Int?, padding: Int?, activation: Activation?
            var kept: [Word] = []
            var index = 0
            while index < rest.count {
                let word = rest[index]
                if word.text == "stride" || (pad && word.text == "pad") {
                    guard index + 1 < rest.count else { throw ConvNetSpecError(message: "'\(word.text)' needs a number after it", range: word.range) }
                    let value = rest[index + 1]
                    if word.text == "stride" { stride = try positive(value, "the stride") } else {
                        guard let amount = Int(value.text), amount >= 0 else {
                            throw ConvNetSpecError(message: "the padding must be a whole number ≥ 0, got '\(value.text)'", range: value.range)
                        }
                        padding = amount
                    }
                    index += 2
                } else if let found = Activation(rawValue: word.text) {
                    guard allowed.contains(found), activation == nil else {
                        let reason = activation != nil ? "a second activation" : "'\(found.rawValue)' is not allowed after '\(head.text)'"
                        throw ConvNetSpecError(message: reason, range: word.range)
                    }
                    activation = found
                    index += 1
                } else {
                    kept.append(word)
                    index += 1
                }
            }
            rest = kept
            return (stride, padding, activation)
        }
        func noMore() throws {
            if let extra = rest.first {
                throw ConvNetSpecError(message: "unexpected '\(extra.text)' in a '\(head.text)' layer", range: extra.range)
            }
        }
        switch head.text {
        case "conv":
            let (stride, pad, activation) = try options(allowed: [.relu, .tanh, .sigmoid], pad: true)
            guard let size = rest.first else { throw missing("a kernel size and a filter count, e.g. 'conv 5x5 8'") }
            let parts = size.text.split(separator: "x", omittingEmptySubsequences: false)
            guard parts.count <= 2, let kernel = Int(parts[0]), kernel > 0, parts.count == 1 || Int(parts[1]) == kernel else {
                throw ConvNetSpecError(message: "a square kernel size such as 5x5 (or 5), got '\(size.text)'", range: size.range)
            }
            guard rest.count >= 2 else { throw missing("a filter count after the kernel size, e.g. 'conv 5x5 8'") }
            let filters = try positive(rest[1], "the number of filters")
            rest.removeFirst(2)
            try noMore()
            return .conv(kernel: kernel, filters: filters, stride: stride ?? 1, pad: pad, activation: activation)
        case "pool":
            let (stride, _, _) = try options(allowed: [], pad: false)
            guard let size = rest.first else { throw missing("a window size, e.g. 'pool 2'") }
            let window = try positive(size, "the pooling window")
            rest.removeFirst()
            try noMore()
            return .pool(size: window, stride: stride ?? window)
        case "fc":
            let (_, _, activation) = try options(allowed: [.relu, .tanh, .sigmoid, .softmax], pad: false)
            guard let size = rest.first else { throw missing("a number of outputs, e.g. 'fc 10'") }
            let outputs = try positive(size, "the number of outputs")
            rest.removeFirst()
            try noMore()
            return .fc(outputs: outputs, activation: activation)
        case "dropout":
            guard let word = rest.first else { throw missing("a drop probability, e.g. 'dropout 0.5'") }
            guard let p = Float(word.text), p >= 0, p < 1 else {
                throw ConvNetSpecError(message: "the drop probability must be in 0 ..< 1, got '\(word.text)'", range: word.range)
            }
            rest.removeFirst()
            try noMore()
            return .dropout(p)
        case "batchnorm":
            try noMore()
            return .batchnorm
        default:
            if let activation = Activation(rawValue: head.text) {
                try noMore()
                return .activation(activation)
            }
            throw ConvNetSpecError(message: "unknown layer '\(head.text)'; layers are conv, pool, fc, dropout, batchnorm, relu, tanh, sigmoid, softmax",
                                   range: head.range)
        }
    }
}

/// A spec that cannot be read: what is wrong, and where (character offsets into the spec,
/// so the language can draw a caret under that part of the string literal).
public struct ConvNetSpecError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public let range: Range<Int>

    public init(message: String, range: Range<Int>) {
        self.message = message
        self.range = range
    }

    public var description: String { "network spec: \(message)" }
}
