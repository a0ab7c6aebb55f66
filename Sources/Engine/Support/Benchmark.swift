import Foundation

/// Wall-clock timing for `bench/engine` (never used inside tests).
public enum Benchmark {
    /// Runs `body` `warmup` times untimed, then `iterations` times, and returns the median in ms.
    ///
    /// The median rather than the mean: on a shared 2-core machine a single descheduled
    /// run would otherwise dominate the figure.
    public static func medianMilliseconds(iterations: Int, warmup: Int = 2,
                                          body: () throws -> Void) rethrows -> Double {
        for _ in 0..<max(0, warmup) { try body() }
        var samples: [Double] = []
        samples.reserveCapacity(max(1, iterations))
        for _ in 0..<max(1, iterations) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            let end = DispatchTime.now().uptimeNanoseconds
            samples.append(Double(end - start) / 1_000_000)
        }
        samples.sort()
        let middle = samples.count / 2
        return samples.count % 2 == 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2
    }
}

extension Benchmark {
    /// Median latencies of one benchmark network, batch 1.
    public struct NetworkTiming: Sendable {
        public let network: BenchmarkNetwork
        /// Forward pass only.
        public let forwardMilliseconds: Double
        /// Forward pass, then the gradient of the top logit with respect to the input image.
        public let forwardGradientMilliseconds: Double
    }

    /// Times `network` (random weights, random input from a fixed seed).
    public static func time(_ network: BenchmarkNetwork, iterations: Int = 30, warmup: Int = 3) throws -> NetworkTiming {
        let forward = try network.makeForward()
        var generator = SeededRandom(seed: 2)
        let size = network.inputSize
        let image = try Tensor.randomUniform(shape: [1, 3, size, size], low: -1, high: 1, using: &generator)
        let forwardTime = try medianMilliseconds(iterations: iterations, warmup: warmup) {
            _ = try forward(image)
        }
        let input = try Tensor(shape: image.shape, data: image.data, requiresGrad: true)
        let gradientTime = try medianMilliseconds(iterations: iterations, warmup: warmup) {
            input.grad = nil
            let logits = try forward(input)
            let top = logits.data.indices.max(by: { logits.data[$0] < logits.data[$1] }) ?? 0
            var seed = [Float](repeating: 0, count: logits.count)
            seed[top] = 1
            try logits.backward(seed: seed)
        }
        return NetworkTiming(network: network, forwardMilliseconds: forwardTime, forwardGradientMilliseconds: gradientTime)
    }
}
