import ArgumentParser
import Foundation
import Kernel

/// `convlens install`: writes the kernelspec (kernel.json and logos) where Jupyter looks.
///
/// kernel.json holds the absolute path of this very binary, so the kernel runs
/// without anything on PATH, and points CONVLENS_ASSETS at the repository's
/// asset cache when the binary still lives inside the repository that built it.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the ConvLens kernelspec for Jupyter.",
        discussion: """
            Destination: --prefix DIR installs into DIR/share/jupyter/kernels/convlens (with or without \
            --sys-prefix); --sys-prefix alone uses the active Python's sys.prefix; --user (the default) \
            uses the user's Jupyter data directory.
            """)

    @Flag(help: "Install for the current user (Jupyter's user data directory).")
    var user = false

    @Flag(name: .customLong("sys-prefix"), help: "Install into the active Python environment's sys.prefix.")
    var sysPrefix = false

    @Option(help: "Install into DIR/share/jupyter/kernels.")
    var prefix: String?

    @Option(help: "The kernelspec's directory name.")
    var name = "convlens"

    func validate() throws {
        if user && (sysPrefix || prefix != nil) {
            throw ValidationError("--user cannot be combined with --sys-prefix or --prefix")
        }
    }

    func run() throws {
        let binary = KernelspecWriter.currentExecutablePath()
        let destination = try kernelsDirectory().appendingPathComponent(name)
        let writer = KernelspecWriter(binaryPath: binary)
        try writer.write(to: destination)
        print("Installed kernelspec \(name) in \(destination.path)")
    }

    private func kernelsDirectory() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let prefix {
            return URL(fileURLWithPath: prefix).standardizedFileURL.appendingPathComponent("share/jupyter/kernels")
        }
        if sysPrefix {
            return URL(fileURLWithPath: try pythonSysPrefix()).appendingPathComponent("share/jupyter/kernels")
        }
        return JupyterDataDirectory.user(environment: environment).appendingPathComponent("kernels")
    }

    /// sys.prefix of the active environment: $VIRTUAL_ENV, else what `python3` reports.
    private func pythonSysPrefix() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let venv = environment["VIRTUAL_ENV"], !venv.isEmpty { return venv }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; print(sys.prefix)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            throw ValidationError("--sys-prefix needs python3 on PATH to find sys.prefix (\(error)); use --prefix DIR")
        }
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !output.isEmpty else {
            throw ValidationError("python3 did not report sys.prefix; use --prefix DIR")
        }
        return output
    }
}


/// Writes kernel.json and the logos into one kernelspec directory.
struct KernelspecWriter {
    /// The placeholder in kernelspec/kernel.json that becomes the binary's absolute path.
    static let binaryPlaceholder = "{convlens_binary}"

    let binaryPath: String

    /// The repository this binary was built in: the nearest ancestor holding
    /// Package.swift and kernelspec/ (the binary lives in <repo>/.build/...).
    var repositoryRoot: URL? {
        var directory = URL(fileURLWithPath: binaryPath).deletingLastPathComponent()
        let files = FileManager.default
        while directory.path != "/" {
            if files.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
               files.fileExists(atPath: directory.appendingPathComponent("kernelspec").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    func write(to destination: URL) throws {
        let files = FileManager.default
        try files.createDirectory(at: destination, withIntermediateDirectories: true)
        let template = repositoryRoot?.appendingPathComponent("kernelspec")
        var spec = try loadTemplate(from: template)
        spec["argv"] = [binaryPath, "kernel", "-f", "{connection_file}"]
        var environment = spec["env"] as? [String: String] ?? [:]
        if let assets = repositoryRoot?.appendingPathComponent(".cache/assets"),
           files.fileExists(atPath: assets.path) {
            environment["CONVLENS_ASSETS"] = assets.path
        }
        if environment.isEmpty { spec.removeValue(forKey: "env") } else { spec["env"] = environment }
        let json = try JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try json.write(to: destination.appendingPathComponent("kernel.json"))
        if let template {
            for logo in ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"] {
                let source = template.appendingPathComponent(logo)
                let target = destination.appendingPathComponent(logo)
                guard files.fileExists(atPath: source.path) else { continue }
                try? files.removeItem(at: target)
                try files.copyItem(at: source, to: target)
            }
        }
    }

    /// kernelspec/kernel.json from the repository, or the same content built in
    /// when the binary was moved away from its repository.
    private func loadTemplate(from directory: URL?) throws -> [String: Any] {
        if let file = directory?.appendingPathComponent("kernel.json"),
           let data = try? Data(contentsOf: file),
           let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
            return object
        }
        return [
            "display_name": "ConvLens",
            "language": "convlens",
            "interrupt_mode": "signal",
            "metadata": ["debugger": false],
        ]
    }

    /// The absolute, symlink-free path of the running binary.
    static func currentExecutablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return path
        }
        let argument = CommandLine.arguments.first ?? "convlens"
        return URL(fileURLWithPath: argument).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
