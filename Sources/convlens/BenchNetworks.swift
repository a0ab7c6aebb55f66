import ArgumentParser
import Engine
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Forward and forward+input-gradient latency of the ImageNet networks (`BenchCommand.imageNetNetworks`), batch 1.
///
/// Times the pretrained networks as `model()` loads them (`ModelZoo`), so the figures include
/// whatever the loaders do (folded batch norms, fused activations). Without the weight files it
/// stops with what to install: a figure of any other network would not be the one users get.
struct EngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "engine",
        abstract: "Median forward and forward+gradient latency of the pretrained ImageNet networks, batch 1.")

    @Flag(help: "Print JSON (the only format; kept for the scripts' sake).")
    var json = false

    @Option(help: "Timed iterations per figure.")
    var iterations = 20

    @Flag(help: "Also report each network's forward time per op kind (median per node, summed), slowest first.")
    var profile = false

    func run() throws {
        var report: [String: Any] = ["weights": "pretrained"]
        for entry in BenchCommand.imageNetNetworks {
            report[entry.key] = try time(try BenchCommand.loadNetwork(entry.zooName))
        }
        try BenchCommand.printJSON(report)
    }

    /// Median latencies of one loaded network on a seeded random input.
    private func time(_ network: Network) throws -> [String: Any] {
        let image = try BenchCommand.randomInput(for: network)
        let forward = try BenchTiming.medianMilliseconds(iterations: iterations, warmup: 3) {
            _ = try network.forward(image, capture: [], until: nil)
        }
        let input = try Tensor(shape: image.shape, data: image.data, requiresGrad: true)
        let gradient = try BenchTiming.medianMilliseconds(iterations: iterations, warmup: 3) {
            try BenchCommand.forwardAndInputGradient(network, input: input)
        }
        var result: [String: Any] = ["forward_ms": forward, "forward_grad_ms": gradient]
        if profile, let graph = network as? GraphNetwork {
            result["profile_ms"] = try BenchCommand.profileByKind(graph, input: image)
        }
        return result
    }
}

/// Peak resident memory of a kernel that has used every ImageNet network.
///
/// Loads SqueezeNet 1.1, EfficientNet-Lite0 and MobileNetV2 (all stay loaded, as in a notebook
/// that used each), runs a forward pass and an input gradient through each on a sample photo, and
/// reports the process's peak RSS at each stage. The goal is < 400 MB.
struct MemoryBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "memory",
        abstract: "Peak RSS after loading the ImageNet networks and a forward+backward through each.")

    @Option(help: "Sample photo (a name such as chelsea, or a path); a seeded random input if absent.")
    var image = "chelsea"

    func run() throws {
        var report: [String: Any] = ["start_mb": Self.peakResidentMegabytes()]
        var networks: [Network] = []
        for entry in BenchCommand.imageNetNetworks {
            networks.append(try BenchCommand.loadNetwork(entry.zooName))
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
