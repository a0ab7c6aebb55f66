import ArgumentParser

@main
struct ConvLens: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convlens",
        abstract: "A Jupyter kernel for seeing what convolutional networks see.")
}
