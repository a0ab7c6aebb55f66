import ArgumentParser
import Engine
import Foundation

/// Issue 9's class-visualization acceptance figure: `visualize(net, class: c)` with the builtin's
/// defaults (200 steps of l2++, rate 0.05, from noise; 512 steps of Adam for fourier) for each
/// class, the result classified by the same network, and the count of classes at p >= 0.9.
///
/// Each result is classified twice: as the float image `visualize` returns, and after an 8-bit
/// round trip (what `save` writes and a student reloads), and the winning class is printed, so a
/// miss says what the network saw instead. The pictures go to `--out` when given. A measurement,
/// not a test: it takes minutes.
struct VisualizeBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "visualize",
        abstract: "Class visualizations of the lecture classes and how their own network classifies them.")

    /// flamingo, pelican, hartebeest, billiard table, station wagon, black swan, ground beetle, Indian cobra.
    static let lectureClasses = [130, 144, 351, 736, 436, 100, 302, 63]

    @Option(help: "The network as model() names it.") var network = "squeezenet"
    @Option(help: "l2++, l2, none or fourier.") var regularizer = "l2++"
    @Option(help: "Yosinski et al.'s preset 1...4 instead of the default l2++ setting.") var preset: Int?
    @Option(help: "Comma-separated class indices (default: the eight lecture classes).") var classes: String?
    @Option(help: "Steps (default: the builtin's, 200; 512 with fourier).") var steps: Int?
    @Option(help: "Step size (the builtin's default 0.05).") var rate: Float = 0.05
    @Option(help: "Seeds, comma-separated; each class is run once per seed.") var seeds = "0"
    @Option(help: "A folder for the pictures (PNG).") var out: String?
    @Flag(help: "Print JSON (the only format; kept for the scripts' sake).") var json = false

    func run() throws {
        let net = try BenchCommand.loadNetwork(network)
        guard var chosen = ImageRegularizer.named(regularizer) else {
            throw ValidationError("bench visualize: no regularizer '\(regularizer)'")
        }
        if let preset {
            guard let table = ImageRegularizer.yosinski(preset: preset) else { throw ValidationError("bench visualize: preset is 1...4") }
            chosen = table
        }
        let indices = try classes.map { text in
            try text.split(separator: ",").map { part -> Int in
                guard let index = Int(part), index >= 0, index < net.classNames.count else {
                    throw ValidationError("bench visualize: '\(part)' is not a class index of \(net.name)")
                }
                return index
            }
        } ?? Self.lectureClasses
        let seedList = try seeds.split(separator: ",").map { part -> UInt64 in
            guard let seed = UInt64(part) else { throw ValidationError("bench visualize: '\(part)' is not a seed") }
            return seed
        }
        let stepCount = steps ?? (chosen.parameterization == .fourier ? 512 : 200)
        var rows: [[String: Any]] = []
        var hits = 0, hitsPNG = 0
        for seed in seedList {
            for index in indices {
                let options = ClassVisualization.Options(steps: stepCount, rate: rate, regularizer: chosen, seed: seed)
                let (seconds, result) = try BenchTiming.seconds {
                    try ClassVisualization.run(network: net, objective: .classScore(index), options: options)
                }
                let png = try PNGCodec.encode(result.image)
                let reloaded = try PNGCodec.decode(png)
                let direct = try Self.probabilities(net, result.image), rounded = try Self.probabilities(net, reloaded)
                let top = direct.indices.max { direct[$0] < direct[$1] } ?? 0
                if direct[index] >= 0.9 { hits += 1 }
                if rounded[index] >= 0.9 { hitsPNG += 1 }
                rows.append(["class": index, "name": net.classNames[index], "seed": seed, "p": direct[index],
                             "p_png": rounded[index], "top": top, "top_name": net.classNames[top], "top_p": direct[top],
                             "logit_start": result.targetLogits.first ?? 0, "logit_final": result.targetLogits.last ?? 0,
                             "others_final": result.otherLogits.last ?? 0, "seconds": seconds])
                FileHandle.standardError.write(Data(String(format: "%@ seed %llu: p %.4g (png %.4g), top %@ %.4g, logit %.3g -> %.3g, %.1f s\n",
                                                           net.classNames[index], seed, direct[index], rounded[index],
                                                           net.classNames[top], direct[top], result.targetLogits.first ?? 0,
                                                           result.targetLogits.last ?? 0, seconds).utf8))
                if let out {
                    let name = "\(net.name)-\(chosen.name.replacingOccurrences(of: " ", with: "_"))-\(index)-seed\(seed).png"
                    try Data(png).write(to: URL(fileURLWithPath: out).appendingPathComponent(name))
                }
            }
        }
        try BenchCommand.printJSON(["network": net.name, "regularizer": chosen.name, "steps": stepCount, "rate": rate,
                                    "runs": rows.count, "hits": hits, "hits_png": hitsPNG, "rows": rows])
    }

    /// Softmax (max-shifted, in double) of the network's logits for `image`, through `preprocess` as `classify` does.
    static func probabilities(_ network: Network, _ image: Image) throws -> [Float] {
        let (logits, _) = try network.forward(try network.preprocess(image), capture: [], until: nil)
        let values = Array(logits.data.prefix(logits.count))
        let peak = values.max() ?? 0
        let exps = values.map { Double($0 - peak) }.map { exp($0) }
        let total = exps.reduce(0, +)
        return exps.map { Float($0 / total) }
    }
}
