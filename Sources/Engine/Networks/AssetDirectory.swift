import Foundation

/// Finds the directory that `scripts/fetch_assets.py` fills (weights, class names, MNIST,
/// sample photos).
///
/// Order: the environment variable CONVLENS_ASSETS (an absolute path; the kernelspec sets
/// it), then `.cache/assets` in the current directory or any parent, then the same beside the
/// running executable or any of its parents, then the checkout this file was compiled in.
/// A directory counts only if it holds `index.json`, which the script writes last.
public enum AssetDirectory {
    public static let environmentVariable = "CONVLENS_ASSETS"

    /// The asset directory, or an error that says how to get one.
    public static func locate() throws -> URL {
        if let found = search() { return found }
        throw EngineError.io("the ConvLens assets (pretrained weights, class names, sample images) are not installed: "
            + "run `make setup` (or `.venv/bin/python scripts/fetch_assets.py`) in the ConvLens checkout, "
            + "or set \(environmentVariable) to the directory it filled")
    }

    /// The path of one asset, such as "weights/squeezenet1_1.pkl"; throws if it is missing.
    public static func file(_ relativePath: String) throws -> String {
        let url = try locate().appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EngineError.io("asset \(relativePath) is missing from \(url.deletingLastPathComponent().path); run `make setup` again")
        }
        return url.path
    }

    /// Names of the bundled sample images (e.g. "chelsea"), each with its file path.
    public static func sampleImages() -> [(name: String, path: String)] {
        guard let directory = search()?.appendingPathComponent("images"),
              let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return files.filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }.sorted().map {
            (String($0.prefix { $0 != "." }), directory.appendingPathComponent($0).path)
        }
    }

    static func search() -> URL? {
        let manager = FileManager.default
        func valid(_ url: URL) -> Bool { manager.fileExists(atPath: url.appendingPathComponent("index.json").path) }
        if let configured = ProcessInfo.processInfo.environment[environmentVariable], configured.hasPrefix("/") {
            let url = URL(fileURLWithPath: configured)
            if valid(url) { return url }
        }
        var roots = [URL(fileURLWithPath: manager.currentDirectoryPath)]
        if let executable = try? manager.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            roots.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        // Sources/Engine/Networks/AssetDirectory.swift -> the checkout's root.
        roots.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent())
        for root in roots {
            var directory = root.standardizedFileURL
            while true {
                let candidate = directory.appendingPathComponent(".cache/assets")
                if valid(candidate) { return candidate }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }
}
