import ArgumentParser
import Foundation
import Language
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGINT while a script runs; the running cell polls it and stops as in the kernel.
private let scriptInterrupted = Atomic<Bool>(false)

/// `convlens run FILE.cvl`: runs a script of cells without Jupyter, for users who want the
/// pictures as files (slides, papers) or run ConvLens from make or cron.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a ConvLens script without Jupyter and write its pictures as PNG files.",
        discussion: """
            Cells are separated by lines that start with `# %%` (the percent format of Jupytext and \
            VS Code); a file without such lines is one cell. As in a notebook, a cell shows its last \
            value and whatever show() displays. Each picture is written to DIR as cellNN-K.png (the \
            final frame of a picture that updates in place); text goes to standard output. An error \
            prints as the kernel shows it, stops the script and exits with status 1.
            """)

    @ArgumentParser.Argument(help: "The script (.cvl).")
    var file: String

    @Option(name: .customLong("out"), help: "The directory for the pictures (created if missing).")
    var outDirectory = "convlens-out"

    @Flag(help: "Also write each cell's value as cellNN.npy when it has numbers (as save(x, \"f.npy\") does).")
    var numbers = false

    /// Scripts are small text; a bigger file is almost certainly not a script.
    static let maximumScriptBytes = 4 << 20

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let size = attributes?[.size] as? Int, attributes?[.type] as? FileAttributeType == .typeRegular else {
            throw ValidationError("\(file): no such file")
        }
        guard size <= Self.maximumScriptBytes else {
            throw ValidationError("\(file): \(size) bytes is not a script (at most \(Self.maximumScriptBytes))")
        }
        let source = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        let out = URL(fileURLWithPath: outDirectory)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        installInterruptHandler()
        let session = Session()
        for (index, cell) in Self.cells(of: source).enumerated() {
            let label = String(format: "cell%02d", index + 1)
            let output = ScriptOutput(directory: out, label: label)
            switch session.execute(cell, output: output) {
            case .success(let result, let pager):
                if let result { try output.show(result) }
                if let pager { print(pager) }
                try output.writePending()
                if numbers, let array = try session.lastResultArray() {
                    let path = out.appendingPathComponent("\(label).npy")
                    try array.encoded().write(to: path)
                    print("wrote \(path.path)")
                }
            case .failure(let error, let report):
                try output.writePending()
                FileHandle.standardError.write(Data(((report.isEmpty ? [error.message] : report).joined(separator: "\n") + "\n").utf8))
                throw ExitCode(1)
            }
        }
    }

    /// The cells of a script: the text between `# %%` lines (marker lines dropped), empty ones skipped.
    static func cells(of source: String) -> [String] {
        var cells: [String] = [], current: [Substring] = []
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("# %%") || line.hasPrefix("#%%") {
                cells.append(current.joined(separator: "\n"))
                current = []
            } else {
                current.append(line)
            }
        }
        cells.append(current.joined(separator: "\n"))
        return cells.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    private func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in scriptInterrupted.store(true, ordering: .relaxed) }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
    }
}

/// A cell's output in a script: text printed as it comes, pictures written as PNG files. A
/// display with an id (progress, a picture updated in place) is written once, in its final state.
private final class ScriptOutput: CellOutput {
    let directory: URL
    let label: String
    private var pictureCount = 0
    private var pending: [(id: String, bundle: DisplayBundle)] = []

    init(directory: URL, label: String) {
        self.directory = directory
        self.label = label
    }

    func write(_ text: String, toStandardError: Bool) {
        (toStandardError ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
    }

    func display(_ bundle: DisplayBundle, id: String?) {
        guard let id else {
            do { try show(bundle) } catch { write("\(error)\n", toStandardError: true) }
            return
        }
        pending.append((id, bundle))
    }

    func update(_ bundle: DisplayBundle, id: String) {
        if let index = pending.firstIndex(where: { $0.id == id }) { pending[index].bundle = bundle }
    }

    func clearOutput(wait: Bool) {}

    func readLine(prompt: String, password: Bool) throws -> String {
        write(prompt, toStandardError: false)
        return Swift.readLine() ?? ""
    }

    var isCancelled: Bool { scriptInterrupted.load(ordering: .relaxed) }

    /// Writes a picture as the next cellNN-K.png, or prints the bundle's text.
    func show(_ bundle: DisplayBundle) throws {
        if let base64 = bundle.data["image/png"], let png = Data(base64Encoded: base64) {
            pictureCount += 1
            let path = directory.appendingPathComponent("\(label)-\(pictureCount).png")
            try png.write(to: path)
            print("wrote \(path.path)" + (bundle.plainText.isEmpty ? "" : "  (\(bundle.plainText.split(separator: "\n").first ?? ""))"))
        } else if !bundle.plainText.isEmpty {
            print(bundle.plainText)
        }
    }

    /// The in-place displays in their final state, in the order they appeared.
    func writePending() throws {
        for entry in pending { try show(entry.bundle) }
        pending = []
    }
}
