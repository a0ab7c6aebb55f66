import ArgumentParser
import Engine
import Foundation

/// Barnes-Hut or exact t-SNE of a matrix read from .npy (bench/tsne/run.py writes the points and
/// reads the positions back to score them against scikit-learn and openTSNE).
struct TSNEBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tsne",
        abstract: "Embed the rows of an .npy matrix with t-SNE and report time and KL divergence.")

    @Option(help: "Input matrix (.npy, float32 or float64, n x d).") var input: String
    @Option(help: "Where to write the n x 2 positions (.npy).") var output: String?
    @Option(help: "Perplexity.") var perplexity = 30.0
    @Option(help: "Barnes-Hut angle; 0 runs exact t-SNE.") var theta = 0.5
    @Option(help: "Gradient-descent iterations.") var iterations = 1000
    @Option(help: "Random seed.") var seed: UInt64 = 0

    /// Larger inputs are refused before reading: the benchmark's 5,000 x 50 float64 is 2 MB.
    static let maximumInputBytes = 1 << 30

    func run() throws {
        let matrix = try NpyArray.decode(try Self.readRegularFile(input, limit: Self.maximumInputBytes), source: input)
        guard matrix.shape.count == 2 else {
            throw ValidationError("bench tsne: \(input) holds an array of shape \(matrix.shape); expected points x dimensions")
        }
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        let options = TSNE.Options(perplexity: perplexity, theta: theta, iterations: iterations, seed: seed)
        // Only the embedding is timed (affinities and optimisation), not the file I/O.
        let (seconds, result) = try BenchTiming.seconds {
            try TSNE.embed(matrix.values, rows: rows, columns: columns, options: options)
        }
        if let output {
            try NpyArray(shape: [rows, 2], values: result.positions).encoded().write(to: URL(fileURLWithPath: output))
        }
        try BenchCommand.printJSON(["points": rows, "dims": columns, "seconds": seconds, "kl": result.klDivergence])
    }

    /// The bytes of a regular file no larger than `limit` (a FIFO or a device would never end).
    static func readRegularFile(_ path: String, limit: Int) throws -> [UInt8] {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ValidationError("bench: cannot read \(path): \(error.localizedDescription)")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw ValidationError("bench: \(path) is not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limit else { throw ValidationError("bench: \(path) is \(size) bytes, more than the \(limit) allowed") }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
