import ArgumentParser

/// The `convlens` executable: `convlens kernel -f FILE` runs the Jupyter kernel,
/// `convlens install` registers it with Jupyter.
@main
struct ConvLens: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convlens",
        abstract: "A Jupyter kernel for seeing what convolutional networks see.",
        subcommands: [KernelCommand.self, InstallCommand.self, DocsCommand.self, BenchCommand.self, ONNXRunCommand.self,
                      BLASCommand.self, RunCommand.self])

    static func main() {
        BLASCommand.restartWithFasterKernelsIfNeeded()
        main(nil)
    }
}
