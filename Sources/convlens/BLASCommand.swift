import ArgumentParser
import Engine
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `convlens blas`: which OpenBLAS kernels this process runs, and the start-up fix for an
/// OpenBLAS that does not know the processor (`BLASCore`).
struct BLASCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "blas",
        abstract: "Show the OpenBLAS kernels in use (ConvLens sets OPENBLAS_CORETYPE when OpenBLAS does not know the CPU).")

    @Flag(help: "Print only the OPENBLAS_CORETYPE ConvLens would set (empty when none), for scripts.")
    var recommended = false

    /// Set in the restarted process to the kernels OpenBLAS had chosen on its own.
    static let detectedVariable = "CONVLENS_OPENBLAS_DETECTED"

    func run() throws {
        if recommended {
            // After a restart the kernels are already right; say what was set.
            print(ProcessInfo.processInfo.environment[BLASCommand.detectedVariable] != nil
                  ? (ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "") : (BLASCore.recommendedCoreType ?? ""))
            return
        }
        print("OpenBLAS: \(BLASCore.configuration)")
        print("kernels in use: \(BLASCore.current)")
        if let detected = ProcessInfo.processInfo.environment[BLASCommand.detectedVariable] {
            print("OpenBLAS chose \(detected) for this processor; ConvLens set OPENBLAS_CORETYPE=\(BLASCore.current)")
        } else if let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] {
            print("OPENBLAS_CORETYPE=\(forced) was set by the environment")
        }
    }

    /// Restarts the process (same pid, arguments and environment) with OPENBLAS_CORETYPE set when
    /// OpenBLAS picked generic kernels for a processor with AVX2 or AVX-512, since the kernels are
    /// chosen when the library loads. A user's own OPENBLAS_CORETYPE is left alone; if exec fails
    /// the process goes on with the slower kernels.
    static func restartWithFasterKernelsIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, let core = BLASCore.recommendedCoreType else { return }
        setenv(detectedVariable, BLASCore.current, 1)
        setenv("OPENBLAS_CORETYPE", core, 1)
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        execv("/proc/self/exe", arguments)
        unsetenv("OPENBLAS_CORETYPE") // exec failed: go on as before
        unsetenv(detectedVariable)
    }
}
