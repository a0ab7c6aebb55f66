import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Cell history kept across kernel restarts, answering history_request.
///
/// Stored as JSON Lines (one `HistoryEntry` per line) so that each cell costs
/// one appended line rather than a rewrite of the whole file. Each kernel start
/// is a new session numbered one past the highest session in the file.
public final class HistoryStore {
    public let fileURL: URL?
    public private(set) var entries: [HistoryEntry]
    /// This kernel's session number.
    public let session: Int

    /// Loads `fileURL` (nil keeps history in memory only); unreadable lines are skipped and logged.
    public init(fileURL: URL?) {
        self.fileURL = fileURL
        var loaded: [HistoryEntry] = []
        if let fileURL, let data = try? Data(contentsOf: fileURL) {
            let decoder = JSONDecoder()
            for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
                if let entry = try? decoder.decode(HistoryEntry.self, from: Data(line)) {
                    loaded.append(entry)
                } else {
                    KernelLog.error("\(fileURL.path):\(number + 1): skipping unreadable history line")
                }
            }
        }
        entries = loaded
        session = (loaded.map(\.session).max() ?? 0) + 1
    }

    /// The default location: `convlens/history.jsonl` in Jupyter's per-user data directory
    /// (`JupyterDataDirectory.user`, as jupyter_core finds it).
    public static func defaultFileURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        JupyterDataDirectory.user(environment: environment).appendingPathComponent("convlens/history.jsonl")
    }

    /// Records a cell run under `line` in this session and appends it to the file.
    public func append(line: Int, source: String) {
        let entry = HistoryEntry(session: session, line: line, source: source)
        entries.append(entry)
        guard let fileURL else { return }
        do {
            try FileManager.default.createDirectory(at: fileURL.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            var bytes = try JSONEncoder().encode(entry)
            bytes.append(UInt8(ascii: "\n"))
            // O_APPEND keeps each line whole even if two kernels share the file.
            let descriptor = open(fileURL.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            guard descriptor >= 0 else {
                KernelLog.error("cannot open history file \(fileURL.path): errno \(errno)")
                return
            }
            defer { close(descriptor) }
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        } catch {
            KernelLog.error("cannot write history file \(fileURL.path): \(error)")
        }
    }

    /// The last `count` entries across all sessions, oldest first.
    public func tail(_ count: Int) -> [HistoryEntry] {
        Array(entries.suffix(max(count, 0)))
    }

    /// Lines `start ..< stop` of `session`; a session of 0 or below counts back
    /// from the current one (0 is this session), as IPython does.
    public func range(session requested: Int, start: Int, stop: Int?) -> [HistoryEntry] {
        let target = requested <= 0 ? session + requested : requested
        return entries.filter { entry in
            entry.session == target && entry.line >= start && (stop.map { entry.line < $0 } ?? true)
        }
    }

    /// Entries whose source matches the glob `pattern`, oldest first; the last
    /// `limit` of them if given; with `unique`, each source once (its latest run).
    public func search(pattern: String, limit: Int?, unique: Bool) -> [HistoryEntry] {
        var matches = entries.filter { fnmatch(pattern, $0.source, 0) == 0 }
        if unique {
            var seen = Set<String>()
            var latestFirst: [HistoryEntry] = []
            for entry in matches.reversed() where seen.insert(entry.source).inserted {
                latestFirst.append(entry)
            }
            matches = latestFirst.reversed()
        }
        if let limit, limit > 0 {
            matches = Array(matches.suffix(limit))
        }
        return matches
    }
}
