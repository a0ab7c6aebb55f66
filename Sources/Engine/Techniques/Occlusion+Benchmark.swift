import Foundation

/// Timing of the occlusion loop for bench/occlusion (never used in tests).
public struct OcclusionBenchmark: Sendable {
    /// Occluded copies per run (625 for 227 x 227, window 32, stride 8).
    public let frames: Int
    public let batchSize: Int
    /// Median wall-clock seconds of one whole `Occlusion.compute` (clean pass included).
    public let seconds: Double
    public var framesPerSecond: Double { seconds > 0 ? Double(frames) / seconds : 0 }

    /// One line of JSON for bench/occlusion/run.py.
    public var json: String {
        String(format: "{\"frames\": %d, \"batch\": %d, \"seconds\": %.4f, \"fps\": %.2f}",
               frames, batchSize, seconds, framesPerSecond)
    }
}

extension Occlusion {
    /// Runs the full occlusion map of `image` `repetitions` times after one warm-up batch and
    /// reports the median. The CLI (`convlens bench occlusion`) wires this to the benchmark script.
    public static func benchmarkOcclusion(network: Network, image: Image, options: Options = Options(),
                                          repetitions: Int = 3) throws -> OcclusionBenchmark {
        let input = try NetworkProbe(network: network, technique: "occlusion").input(image)
        let warmup = try Tensor.concat([Tensor](repeating: input, count: Swift.max(1, options.batchSize)), axis: 0)
        _ = try network.forward(warmup, capture: [], until: nil)
        var frames = 0
        let seconds = try Benchmark.medianMilliseconds(iterations: Swift.max(1, repetitions), warmup: 0) {
            let result = try compute(network: network, image: image, classIndex: nil, options: options)
            frames = result.probabilities.values.count
        } / 1000
        return OcclusionBenchmark(frames: frames, batchSize: options.batchSize, seconds: seconds)
    }
}
