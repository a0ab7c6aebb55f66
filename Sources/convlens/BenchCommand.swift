import ArgumentParser
import Engine
import Foundation
import Language

/// `convlens bench ...`: the ConvLens side of the benchmarks under bench/.
///
/// The Python scripts there run the peers (PyTorch, openTSNE, scikit-learn,
/// ipykernel) and call these subcommands for our figures in the same run, so
/// both sides see the same machine at the same moment. Nothing here is a test.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time ConvLens for the benchmarks under bench/ (prints JSON).",
        subcommands: [EngineBench.self, TSNEBench.self, CellBench.self],
        defaultSubcommand: EngineBench.self)
}

/// Forward and forward+input-gradient latency of the two ImageNet architectures, batch 1.
struct EngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "engine",
        abstract: "Median forward and forward+gradient latency, batch 1.")

    @Flag(help: "Print JSON (the only format; kept for the scripts' sake).")
    var json = false

    @Option(help: "Timed iterations per figure.")
    var iterations = 20

    func run() throws {
        var report: [String: [String: Double]] = [:]
        for network in BenchmarkNetwork.allCases {
            let timing = try Benchmark.time(network, iterations: iterations)
            report[network.rawValue] = ["forward_ms": timing.forwardMilliseconds,
                                        "forward_grad_ms": timing.forwardGradientMilliseconds]
        }
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}

/// Barnes-Hut or exact t-SNE of a matrix read from .npy.
struct TSNEBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tsne",
        abstract: "Embed the rows of an .npy matrix with t-SNE and report time and KL divergence.")

    @Option(help: "Input matrix (.npy, float32 or float64, n x d).") var input: String
    @Option(help: "Where to write the n x 2 positions (.npy).") var output: String?
    @Option(help: "Perplexity.") var perplexity = 30.0
    @Option(help: "Barnes-Hut angle; 0 runs exact t-SNE.") var theta = 0.5
    @Option(help: "Gradient-descent iterations.") var iterations = 1000
    @Option(help: "Random seed.") var seed: UInt64 = 0

    func run() throws {
        let report = try TSNE.benchmarkTSNE(inputPath: input, outputPath: output, perplexity: perplexity,
                                            theta: theta, iterations: iterations, seed: seed)
        print(report.json)
    }
}

/// Parse-and-evaluate time of a trivial cell (an assignment and arithmetic).
struct CellBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cell",
        abstract: "Median time to parse and evaluate a trivial cell.")

    @Option(help: "Timed iterations.") var iterations = 20000

    func run() {
        let milliseconds = Session.benchmarkTrivialCell(iterations: iterations)
        print("{\"cell\": \(jsonString(Session.trivialBenchmarkCell)), \"median_ms\": \(milliseconds)}")
    }

    private func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
