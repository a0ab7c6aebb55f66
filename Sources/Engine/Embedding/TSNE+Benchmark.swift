import Foundation

extension TSNE {
    /// What one benchmark run measured.
    public struct BenchmarkReport: Sendable {
        public var points: Int
        public var dimensions: Int
        public var seconds: Double
        public var klDivergence: Double

        /// One line of JSON for scripts: {"points":..,"dims":..,"seconds":..,"kl":..}.
        public var json: String {
            "{\"points\": \(points), \"dims\": \(dimensions), \"seconds\": \(seconds), \"kl\": \(klDivergence)}"
        }
    }

    /// Times a whole t-SNE run (affinities and optimisation, not file I/O) on the points of a .npy
    /// file and writes the n x 2 positions to `outputPath` (float32 .npy) when given.
    /// Meant for `convlens bench tsne --input x.npy --output y.npy --perplexity 30 --theta 0.5`.
    public static func benchmarkTSNE(inputPath: String, outputPath: String?, perplexity: Double = 30,
                                     theta: Double = 0.5, iterations: Int = 1000,
                                     seed: UInt64 = 0) throws -> BenchmarkReport {
        let matrix = try NpyMatrix.read(path: inputPath)
        let options = Options(perplexity: perplexity, theta: theta, iterations: iterations, seed: seed)
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try embed(matrix.values, rows: matrix.rows, columns: matrix.columns, options: options)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let outputPath {
            try NpyMatrix(rows: matrix.rows, columns: 2, values: result.positions).write(path: outputPath)
        }
        return BenchmarkReport(points: matrix.rows, dimensions: matrix.columns, seconds: seconds,
                               klDivergence: result.klDivergence)
    }
}
