import ArgumentParser
import Engine
import Foundation

/// Forward and forward+input-gradient latency of ONNX files as `model("f.onnx")` imports them,
/// batch 1: the ConvLens side of bench/onnx/run.py, which times the same files in onnxruntime.
///
/// Each file is imported at its own fixed input size (or `--size`; 224 when its size is free)
/// and run on a seeded uniform input in [-1, 1]; the JSON gives the input shape used so the
/// script feeds onnxruntime the same. The gradient is that of the largest output value with
/// respect to the input, as for the engine benchmark's top logit.
struct ONNXBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "onnx",
        abstract: "Median forward and forward+gradient latency of ONNX files as ConvLens imports them, batch 1.")

    @Argument(help: "The .onnx files.")
    var files: [String]

    @Option(help: "Input height and width; default: the file's own fixed size, else 224.")
    var size: Int?

    @Option(help: "Timed iterations per figure.")
    var iterations = 20

    @Flag(help: "Also report each file's forward time per op kind (median per node, summed), slowest first.")
    var profile = false

    func run() throws {
        var report: [String: Any] = [:]
        for file in files {
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let network: Network
            do {
                network = try ONNXImporter.load(path: file, options: ONNXImporter.Options(name: name, size: size))
            } catch {
                throw ValidationError("bench onnx: cannot import \(file): \(error)")
            }
            let input = try BenchCommand.randomInput(for: network)
            let forward = try BenchTiming.medianMilliseconds(iterations: iterations, warmup: 3) {
                _ = try network.forward(input, capture: [], until: nil)
            }
            let tracked = try Tensor(shape: input.shape, data: input.data, requiresGrad: true)
            let gradient = try BenchTiming.medianMilliseconds(iterations: iterations, warmup: 3) {
                try BenchCommand.forwardAndInputGradient(network, input: tracked)
            }
            var entry: [String: Any] = ["forward_ms": forward, "forward_grad_ms": gradient, "input_shape": input.shape]
            if profile, let graph = network as? GraphNetwork {
                entry["profile_ms"] = try BenchCommand.profileByKind(graph, input: input)
            }
            report[file] = entry
        }
        try BenchCommand.printJSON(report)
    }
}
