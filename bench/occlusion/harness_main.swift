// Fallback timing harness for bench/occlusion/run.py, compiled together with the engine's
// sources when `convlens bench occlusion` is not available. Prints OcclusionBenchmark.json.
// Usage: occlusion-harness <image path> <window> <stride> <batch> <repetitions>
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 6, let window = Int(arguments[2]), let stride = Int(arguments[3]),
      let batch = Int(arguments[4]), let repetitions = Int(arguments[5]) else {
    FileHandle.standardError.write("usage: occlusion-harness IMAGE WINDOW STRIDE BATCH REPETITIONS\n".data(using: .utf8)!)
    exit(2)
}
do {
    let network = try ModelZoo.load("squeezenet")
    let image = try ImageFile.load(path: arguments[1])
    let result = try Occlusion.benchmarkOcclusion(
        network: network, image: image,
        options: Occlusion.Options(window: window, stride: stride, fill: .mean, batchSize: batch),
        repetitions: repetitions)
    print(result.json)
} catch {
    FileHandle.standardError.write("occlusion benchmark failed: \(error)\n".data(using: .utf8)!)
    exit(1)
}
