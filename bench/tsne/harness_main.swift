// Fallback driver for bench/tsne/run.py, used only while `convlens bench tsne` is not wired:
// run.py compiles it together with Sources/Engine/Embedding/*.swift. Same call as the CLI.
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 6, let perplexity = Double(arguments[3]), let theta = Double(arguments[4]),
      let iterations = Int(arguments[5]) else {
    FileHandle.standardError.write(Data("usage: harness input.npy output.npy perplexity theta iterations\n".utf8))
    exit(2)
}
do {
    let report = try TSNE.benchmarkTSNE(inputPath: arguments[1], outputPath: arguments[2], perplexity: perplexity,
                                        theta: theta, iterations: iterations, seed: 0)
    print(report.json)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
