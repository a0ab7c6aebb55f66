import ArgumentParser
import Engine
import Foundation

/// Frames per second of the occlusion loop on SqueezeNet (625 copies for 227x227, window 32,
/// stride 8): whole `Occlusion.compute` calls, as `occlusion()` runs them, clean pass included.
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
        let network = try BenchCommand.loadNetwork("squeezenet")
        let picture = try ImageFile.load(path: image)
        let options = Occlusion.Options(window: window, stride: stride, batchSize: batch)
        // One untimed batch first, so the first timed map does not pay for the scratch buffers.
        let input = try network.preprocess(picture)
        _ = try network.forward(try Tensor.concat([Tensor](repeating: input, count: max(1, batch)), axis: 0),
                                capture: [], until: nil)
        var frames = 0
        let seconds = try BenchTiming.medianMilliseconds(iterations: max(1, repetitions), warmup: 0) {
            let result = try Occlusion.compute(network: network, image: picture, classIndex: nil, options: options)
            frames = result.probabilities.values.count
        } / 1000
        try BenchCommand.printJSON(["frames": frames, "batch": batch, "seconds": seconds,
                                    "fps": seconds > 0 ? Double(frames) / seconds : 0])
    }
}
