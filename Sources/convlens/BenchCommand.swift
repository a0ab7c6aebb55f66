import ArgumentParser
import Engine
import Foundation
import Language

#if canImport(Glibc)
import Glibc
#endif

/// `convlens bench ...`: the ConvLens side of the benchmarks under bench/.
///
/// The Python scripts there run the peers (PyTorch, openTSNE, scikit-learn,
/// ipykernel) and call these subcommands for our figures in the same run, so
/// both sides see the same machine at the same moment. Nothing here is a test.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time ConvLens for the benchmarks under bench/ (prints JSON).",
        subcommands: [EngineBench.self, MemoryBench.self, TSNEBench.self, CellBench.self, OcclusionBench.self],
        defaultSubcommand: EngineBench.self)

    /// The two ImageNet networks: the JSON key bench/engine/run.py reads, the ModelZoo name,
    /// and the random-weight replica timed when the pretrained files are not installed.
    static let imageNetNetworks: [(key: String, zooName: String, replica: BenchmarkNetwork)] = [
        ("squeezenet1_1", "squeezenet", .squeezeNet11),
        ("efficientnet_lite0", "efficientnet_lite0", .efficientNetLite0),
    ]

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
}

/// Forward and forward+input-gradient latency of the two ImageNet networks, batch 1.
///
/// Times the real pretrained networks (`ModelZoo`) when their files are installed, so the
/// figures include whatever the loaders did (folded batch norms, fused activations); without
/// the assets it falls back to the random-weight replicas of `BenchmarkNetwork`, and says so
/// in the "weights" key.
struct EngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "engine",
        abstract: "Median forward and forward+gradient latency, batch 1.")

    @Flag(help: "Print JSON (the only format; kept for the scripts' sake).")
    var json = false

    @Option(help: "Timed iterations per figure.")
    var iterations = 20

    @Flag(help: "Time the random-weight replicas even when the pretrained weights are installed.")
    var replicas = false

    func run() throws {
        var report: [String: Any] = [:]
        var usedReplica = false
        var loadErrors: [String] = []
        for entry in BenchCommand.imageNetNetworks {
            var network: Network?
            if !replicas {
                do { network = try ModelZoo.load(entry.zooName) } catch { loadErrors.append("\(entry.zooName): \(error)") }
            }
            if let network {
                report[entry.key] = try time(network)
            } else {
                usedReplica = true
                let timing = try Benchmark.time(entry.replica, iterations: iterations)
                report[entry.key] = ["forward_ms": timing.forwardMilliseconds,
                                     "forward_grad_ms": timing.forwardGradientMilliseconds]
            }
        }
        report["weights"] = usedReplica ? "random" : "pretrained"
        if !loadErrors.isEmpty && !replicas { report["note"] = loadErrors.joined(separator: "; ") }
        try BenchCommand.printJSON(report)
    }

    /// Median latencies of one loaded network on a seeded random input.
    private func time(_ network: Network) throws -> [String: Double] {
        let image = try BenchCommand.randomInput(for: network)
        let forward = try Benchmark.medianMilliseconds(iterations: iterations, warmup: 3) {
            _ = try network.forward(image, capture: [], until: nil)
        }
        let input = try Tensor(shape: image.shape, data: image.data, requiresGrad: true)
        let gradient = try Benchmark.medianMilliseconds(iterations: iterations, warmup: 3) {
            try BenchCommand.forwardAndInputGradient(network, input: input)
        }
        return ["forward_ms": forward, "forward_grad_ms": gradient]
    }
}

/// Peak resident memory of a kernel that has used both ImageNet networks.
///
/// Loads SqueezeNet 1.1 and EfficientNet-Lite0 (both stay loaded, as in a notebook that used
/// both), runs a forward pass and an input gradient through each on a sample photo, and
/// reports the process's peak RSS at each stage. The goal is < 400 MB.
struct MemoryBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "memory",
        abstract: "Peak RSS after loading both ImageNet networks and a forward+backward through each.")

    @Option(help: "Sample photo (a name such as chelsea, or a path); a seeded random input if absent.")
    var image = "chelsea"

    func run() throws {
        var report: [String: Any] = ["start_mb": Self.peakResidentMegabytes()]
        var networks: [Network] = []
        for entry in BenchCommand.imageNetNetworks {
            networks.append(try ModelZoo.load(entry.zooName))
        }
        report["after_load_mb"] = Self.peakResidentMegabytes()
        let picture = try loadPicture()
        for network in networks {
            let prepared = try picture.map { try network.preprocess($0) } ?? BenchCommand.randomInput(for: network)
            let input = try Tensor(shape: prepared.shape, data: prepared.data, requiresGrad: true)
            try BenchCommand.forwardAndInputGradient(network, input: input)
        }
        report["peak_rss_mb"] = Self.peakResidentMegabytes()
        report["ru_maxrss_mb"] = Self.resourceUsageMaximumMegabytes()
        report["input"] = picture == nil ? "random" : image
        report["networks"] = BenchCommand.imageNetNetworks.map(\.zooName)
        try BenchCommand.printJSON(report)
    }

    /// The photo by sample name or path; nil (random input) only when the name is unknown
    /// and no such file exists, so the figure is still produced without the sample images.
    private func loadPicture() throws -> Image? {
        if let sample = AssetDirectory.sampleImages().first(where: { $0.name == image }) {
            return try ImageFile.load(path: sample.path)
        }
        if FileManager.default.fileExists(atPath: image) { return try ImageFile.load(path: image) }
        return nil
    }

    /// Peak RSS of this process's own address space, in megabytes: VmHWM from /proc/self/status.
    ///
    /// NOTE: getrusage's ru_maxrss is not used as the figure because Linux carries it over a
    /// fork and an exec: launched from a Python script that has imported PyTorch (about 680 MB),
    /// this process would report the parent's peak. VmHWM starts afresh at exec. Where
    /// /proc is unavailable, ru_maxrss is the fallback.
    static func peakResidentMegabytes() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") {
            return kilobytes / 1024
        }
        return resourceUsageMaximumMegabytes()
    }

    /// getrusage's ru_maxrss, which Linux reports in kilobytes, in megabytes.
    static func resourceUsageMaximumMegabytes() -> Double {
        var usage = rusage()
        // glibc declares `who` as an int but Swift imports RUSAGE_SELF as an enum case.
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) / 1024
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

    func run() throws {
        let milliseconds = Session.benchmarkTrivialCell(iterations: iterations)
        try BenchCommand.printJSON(["cell": Session.trivialBenchmarkCell, "median_ms": milliseconds,
                                    "iterations": iterations])
    }
}

/// Frames per second of the occlusion loop on SqueezeNet (625 copies for 227x227, window 32, stride 8).
struct OcclusionBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "occlusion",
        abstract: "Time a whole occlusion map on SqueezeNet.")

    @Option(help: "The image to occlude (PNG or JPEG).") var image: String
    @Option(help: "Side of the grey square, in input pixels.") var window = 32
    @Option(help: "Step between positions, in input pixels.") var stride = 8
    @Option(help: "Occluded copies per forward pass.") var batch = 8
    @Option(help: "Timed maps; the median is reported.") var repetitions = 3
    @Flag(help: "Print JSON (the only format; kept for the scripts' sake).") var json = false

    func run() throws {
        let network = try ModelZoo.load("squeezenet")
        let picture = try ImageFile.load(path: image)
        let options = Occlusion.Options(window: window, stride: stride, batchSize: batch)
        let report = try Occlusion.benchmarkOcclusion(network: network, image: picture, options: options,
                                                      repetitions: repetitions)
        print(report.json)
    }
}
