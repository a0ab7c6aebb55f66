import ArgumentParser
import Engine
import Foundation

/// `convlens onnx-run MODEL INPUT OUTPUT`: imports an ONNX file as ConvLens does and runs it on
/// a raw tensor (.npy, float32, C order) of any shape, writing the output as .npy. The language
/// feeds networks images only; this runs the importer on the tensors of the ONNX test
/// fixtures (any channel count and rank), so they can be compared with onnxruntime.
/// `--constant NAME=FILE.npy` binds another graph input to a constant (a style network's
/// style weights), as `ONNXImporter.Options.constantInputs` does.
struct ONNXRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx-run",
        abstract: "Run an ONNX file through ConvLens' importer on an .npy tensor; write the output as .npy.")

    @Argument(help: "the .onnx file") var model: String
    @Argument(help: "the input tensor (.npy, float32)") var input: String
    @Argument(help: "where to write the output (.npy)") var output: String
    @Option(name: .customLong("constant"), help: "NAME=FILE.npy: bind graph input NAME to the tensor in FILE (repeatable)")
    var constants: [String] = []

    func run() throws {
        do {
            let array = try NpyArray.decode(try BoundedFile.read(input, as: .weights), source: input)
            var bound: [String: ONNXTensor] = [:]
            for entry in constants {
                guard let separator = entry.firstIndex(of: "="), separator != entry.startIndex else {
                    throw ValidationError("--constant '\(entry)': expected NAME=FILE.npy")
                }
                let file = String(entry[entry.index(after: separator)...])
                let value = try NpyArray.decode(try BoundedFile.read(file, as: .weights), source: file)
                bound[String(entry[..<separator])] = try ONNXTensor(dims: value.shape, floats: value.values)
            }
            let graph = try ONNXImporter.graph(from: try ONNXModel.read(model), inputShape: array.shape, constantInputs: bound)
            let result = try graph.evaluate(try Tensor(shape: array.shape, data: array.values))
            try NpyArray(shape: result.shape, values: result.data).encoded().write(to: URL(fileURLWithPath: output))
        } catch let error as EngineError {
            throw ValidationError(error.description)
        }
    }
}
