import ArgumentParser
import Engine
import Foundation

/// `convlens onnx-run MODEL INPUT OUTPUT [--weights W --input-gradient G]`: imports an ONNX file
/// as ConvLens does and runs it on a raw tensor (.npy, float32, C order) of any shape, writing
/// the output as .npy. The language feeds networks images only; this runs the importer on the
/// tensors of the ONNX test fixtures (any channel count and rank), so they can be compared with
/// onnxruntime. With `--weights`, it also back-propagates: the input gradient of
/// L = sum(output · weights), written to `--input-gradient`, so that the protocol tests can
/// compare it with central finite differences of onnxruntime's output. With `--export`, the
/// imported graph is written back as ONNX, so that every operator's export can be run by onnxruntime.
/// `--constant NAME=FILE.npy` binds another graph input to a constant (a style network's
/// style weights), as `ONNXImporter.Options.constantInputs` does.
struct ONNXRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx-run",
        abstract: "Run an ONNX file through ConvLens' importer on an .npy tensor; write the output (and optionally an input gradient) as .npy.")

    @Argument(help: "the .onnx file") var model: String
    @Argument(help: "the input tensor (.npy, float32)") var input: String
    @Argument(help: "where to write the output (.npy)") var output: String
    @Option(help: "a tensor of the output's shape (.npy, float32): back-propagate sum(output * weights)")
    var weights: String?
    @Option(help: "where to write d sum(output * weights) / d input (.npy); needs --weights")
    var inputGradient: String?
    @Option(help: "also write the imported layer graph back out as ONNX (what save(net, \"f.onnx\") writes)")
    var export: String?

    @Option(name: .customLong("constant"), help: "NAME=FILE.npy: bind graph input NAME to the tensor in FILE (repeatable)")
    var constants: [String] = []

    func validate() throws {
        guard (weights == nil) == (inputGradient == nil) else {
            throw ValidationError("--weights and --input-gradient go together")
        }
    }

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
            let x = try Tensor(shape: array.shape, data: array.values)
            x.requiresGrad = weights != nil
            let result = try graph.evaluate(x)
            try NpyArray(shape: result.shape, values: result.data).encoded().write(to: URL(fileURLWithPath: output))
            if let export {
                try BoundedFile.write(Data(try ONNXExport.encode(graph, name: URL(fileURLWithPath: model).lastPathComponent,
                                                                 inputShape: array.shape)), to: export)
            }
            guard let weights, let inputGradient else { return }
            let seed = try NpyArray.decode(try BoundedFile.read(weights, as: .weights), source: weights)
            guard seed.shape == result.shape else {
                throw EngineError.shapeMismatch("\(weights): weights of shape \(seed.shape) for an output of shape \(result.shape)")
            }
            guard result.requiresGrad else {
                throw EngineError.invalid("\(model): the output does not depend on the input, so it has no input gradient")
            }
            try result.backward(seed: seed.values)
            let gradient = x.grad ?? [Float](repeating: 0, count: x.count)
            try NpyArray(shape: x.shape, values: gradient).encoded().write(to: URL(fileURLWithPath: inputGradient))
        } catch let error as EngineError {
            throw ValidationError(error.description)
        }
    }
}
