import ArgumentParser
import Engine
import Foundation

/// `convlens bench ...`: the ConvLens side of the benchmarks under bench/.
///
/// The Python scripts there run the peers (PyTorch, openTSNE, scikit-learn, ipykernel) and call
/// these subcommands for our figures in the same run, so both sides see the same machine at the
/// same moment. Everything that serves only the benchmarks lives here, in the executable, not in
/// the engine or the language; the benchmarks time what users run (`ModelZoo`, `Occlusion`,
/// `TSNE`, `Session`) through the modules' public APIs. Nothing here is a test.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time ConvLens for the benchmarks under bench/ (prints JSON).",
        subcommands: [EngineBench.self, MemoryBench.self, ONNXBench.self, TSNEBench.self, CellBench.self, OcclusionBench.self,
                       TrainBench.self, SynthesisBench.self, VisualizeBench.self],
        defaultSubcommand: EngineBench.self)

    /// The ImageNet networks: the JSON key bench/engine/run.py reads and the ModelZoo name.
    static let imageNetNetworks: [(key: String, zooName: String)] = [
        ("squeezenet1_1", "squeezenet"),
        ("efficientnet_lite0", "efficientnet_lite0"),
        ("mobilenet_v2", "mobilenet_v2"),
    ]

    /// A network as `model()` loads it: the pretrained weights are required, because the figures
    /// must be those of the networks users run.
    static func loadNetwork(_ zooName: String) throws -> Network {
        do {
            return try ModelZoo.load(zooName)
        } catch {
            throw ValidationError("bench: cannot load \(zooName): \(error). The benchmarks time the pretrained "
                                  + "networks: run `make setup` (or scripts/fetch_assets.py) first.")
        }
    }

    /// Prints one JSON object on one line (the scripts read the last line of stdout).
    static func printJSON(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// A seeded uniform input in [-1, 1] at the network's input size: latency does not depend
    /// on the pixel values, and a fixed seed keeps every run identical.
    static func randomInput(for network: Network, seed: UInt64 = 2) throws -> Tensor {
        var generator = SeededRandom(seed: seed)
        let size = network.inputSize
        return try Tensor.randomUniform(shape: [1, network.inputChannels, size.height, size.width],
                                        low: -1, high: 1, using: &generator)
    }

    /// One forward pass, then the gradient of the top logit with respect to `input` (which
    /// must require a gradient): what saliency maps cost.
    static func forwardAndInputGradient(_ network: Network, input: Tensor) throws {
        input.grad = nil
        let logits = try network.forward(input, capture: [], until: nil).output
        let top = logits.data.indices.max(by: { logits.data[$0] < logits.data[$1] }) ?? 0
        var seed = [Float](repeating: 0, count: logits.count)
        seed[top] = 1
        try logits.backward(seed: seed)
    }

    /// Forward milliseconds per op kind ("conv 3x3 + relu": the sum of its nodes' medians) and
    /// "total", for `--profile`: where a network's forward time goes.
    static func profileByKind(_ network: GraphNetwork, input: Tensor) throws -> [String: Double] {
        var totals: [String: Double] = [:]
        for timing in try network.profile(input, repetitions: 7) {
            totals[timing.kind, default: 0] += timing.milliseconds
            totals["total", default: 0] += timing.milliseconds
        }
        return totals
    }
}
