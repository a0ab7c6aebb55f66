import Foundation

/// A classifier's results on a labelled dataset: the confusion matrix and the accuracies read from it.
///
/// `confusion[t * k + p]` counts the examples of true class t predicted as p (rows true,
/// columns predicted, as scikit-learn's `confusion_matrix`); the prediction is the arg max of the
/// network's output row (the first maximum on ties, as numpy's argmax).
public struct Evaluation: Sendable, Equatable {
    public let classNames: [String]
    /// k x k counts, row-major.
    public let confusion: [Int]
    /// The predicted class of each example, in the dataset's order.
    public let predictions: [Int]

    /// Counts `labels` (true) against `predictions`; both in 0..<classNames.count.
    /// Throws `EngineError.invalid` for different lengths or a class outside the list.
    public init(classNames: [String], labels: [Int], predictions: [Int]) throws {
        let k = classNames.count
        guard labels.count == predictions.count else {
            throw EngineError.invalid("evaluation: \(labels.count) labels but \(predictions.count) predictions")
        }
        var confusion = [Int](repeating: 0, count: k * k)
        for (truth, predicted) in zip(labels, predictions) {
            guard (0..<k).contains(truth), (0..<k).contains(predicted) else {
                throw EngineError.invalid("evaluation: class \(max(truth, predicted)) is outside the \(k) classes")
            }
            confusion[truth * k + predicted] += 1
        }
        self.classNames = classNames
        self.confusion = confusion
        self.predictions = predictions
    }

    public var classCount: Int { classNames.count }
    public var count: Int { predictions.count }
    /// Examples on the diagonal.
    public var correct: Int { (0..<classCount).reduce(0) { $0 + confusion[$1 * classCount + $1] } }
    /// correct / count (0 for no examples).
    public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }
    /// Examples of true class `c` (the row sum).
    public func support(_ c: Int) -> Int { (0..<classCount).reduce(0) { $0 + confusion[c * classCount + $1] } }
    /// Recall of class `c`: its diagonal count over its row; nil when the dataset has none of it.
    public func classAccuracy(_ c: Int) -> Double? {
        let total = support(c)
        return total == 0 ? nil : Double(confusion[c * classCount + c]) / Double(total)
    }

    /// Runs `network` over every example of `dataset` (through `DatasetBatches`) and counts.
    /// The network's class names are used; a network without names but with `k` outputs takes the
    /// dataset's. Throws `EngineError.invalid` saying both counts when they differ, or for a
    /// dataset without class labels; `EngineError.cancelled` when interrupted between batches.
    public static func run(_ network: Network, on dataset: LabeledDataset, batchSize: Int = 100,
                           progress: (Int, Int) -> Void = { _, _ in }) throws -> Evaluation {
        let (names, labels) = try classes(network, dataset)
        let rows = try DatasetBatches.outputs(network, dataset, Array(0..<dataset.count), classes: names.count,
                                              batchSize: batchSize, progress: progress)
        return try Evaluation(classNames: names, labels: labels, predictions: argmax(rows, width: names.count))
    }

    /// The class names evaluation uses and the dataset's labels, checked against each other.
    public static func classes(_ network: Network, _ dataset: LabeledDataset) throws -> (names: [String], labels: [Int]) {
        guard let labels = dataset.labels else {
            throw EngineError.invalid("\(dataset.name) has target values, not class labels: evaluate needs a classification set")
        }
        var names = network.classNames
        if names.isEmpty {
            guard let output = network.layers.last?.outputShape, output.count == 1 else {
                throw EngineError.invalid("\(network.name) does not end in class scores (its output is \(network.layers.last?.outputShape ?? []))")
            }
            names = output[0] == dataset.classNames.count ? dataset.classNames : (0..<output[0]).map { "class \($0)" }
        }
        guard names.count == dataset.classNames.count else {
            throw EngineError.invalid("\(network.name) has \(names.count) classes but \(dataset.name) has \(dataset.classNames.count) (\(preview(dataset.classNames)))")
        }
        return (names, labels)
    }

    /// The index of the largest value of each `width`-long row (the first on ties; NaN never wins).
    public static func argmax(_ rows: [Float], width: Int) -> [Int] {
        guard width > 0 else { return [] }
        return stride(from: 0, to: rows.count - rows.count % width, by: width).map { start in
            var best = 0
            for j in 1..<width where rows[start + j] > rows[start + best] || (rows[start + best].isNaN && !rows[start + j].isNaN) {
                best = j
            }
            return best
        }
    }

    /// Probabilities of one output row: the row itself when it already is a distribution (a network
    /// ending in softmax: every value in 0...1, sum 1 within 1e-3), else its softmax (max-shifted).
    public static func probabilities(_ row: ArraySlice<Float>) -> [Float] {
        let values = Array(row)
        let sum = values.reduce(0, +)
        if values.allSatisfy({ $0 >= 0 && $0 <= 1 }), abs(sum - 1) < 1e-3 { return values }
        let peak = values.max() ?? 0
        let exps = values.map { ($0 - peak).isNaN ? 0 : Float(exp(Double($0 - peak))) }
        let total = exps.reduce(0, +)
        return total > 0 ? exps.map { $0 / total } : exps
    }

    static func preview(_ names: [String]) -> String {
        names.count <= 5 ? names.joined(separator: ", ") : names.prefix(4).joined(separator: ", ") + ", ..."
    }
}
