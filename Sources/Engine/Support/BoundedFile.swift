import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every file the engine reads or writes goes through here, so that no read is without a bound.
///
/// A path is read only if it names a regular file: `/dev/zero`, `/dev/urandom`, a FIFO or a
/// terminal would otherwise stream forever (or block), and a directory has no bytes to read.
/// The check is made with `stat` before opening and again with `fstat` on the opened
/// descriptor (opened non-blocking, so a path swapped for a FIFO in between cannot block).
/// Each kind of file has its own size limit; the size `stat` reports is checked first, and
/// the read itself stops one byte past the limit, so a file that grows while it is read is
/// refused too, never read without end. Long reads check `Cancellation` between chunks.
public enum BoundedFile {
    /// What a file is for, which sets how large it may be and how errors name it.
    public struct Kind: Sendable, Equatable {
        /// Names the kind in errors, e.g. "image file".
        public let name: String
        /// The most bytes a file of this kind may have.
        public let limit: Int

        public init(name: String, limit: Int) {
            self.name = name
            self.limit = limit
        }

        /// PNG and JPEG files: a 50-megapixel photo is far smaller than this.
        public static let image = Kind(name: "image file", limit: 300_000_000)
        /// Weight files (torch checkpoints, pickles, safetensors): the largest network of the
        /// course, EfficientNet-Lite0, is 19 MB.
        public static let weights = Kind(name: "weights file", limit: 1_000_000_000)
        /// Dataset files such as MNIST's IDX files (the training images are 47 MB).
        public static let dataset = Kind(name: "dataset file", limit: 100_000_000)
        /// Small JSON files that describe the assets (class names, the asset index).
        public static let metadata = Kind(name: "metadata file", limit: 16_000_000)
    }

    /// Bytes read between two cancellation checks.
    static let chunkSize = 4 << 20

    /// The whole content of the regular file at `path`, at most `kind.limit` bytes.
    ///
    /// Throws `EngineError.io` naming the path when it does not exist, is not a regular file
    /// (directory, FIFO, device, socket), cannot be opened, or is larger than the limit (the
    /// message names the limit); `EngineError.cancelled` if the cell is interrupted.
    public static func read(_ path: String, as kind: Kind) throws -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure(path, errno: errno) }
        try requireRegular(status, path: path)
        try requireWithinLimit(Int(status.st_size), path: path, kind: kind)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, errno: errno) }
        defer { close(descriptor) }
        // The path may have been replaced between stat and open: judge what was opened.
        guard fstat(descriptor, &status) == 0 else { throw failure(path, errno: errno) }
        try requireRegular(status, path: path)
        try requireWithinLimit(Int(status.st_size), path: path, kind: kind)

        // One byte more than the limit is room enough to notice a file that grew.
        let ceiling = kind.limit + 1
        var bytes = [UInt8](repeating: 0, count: min(Int(status.st_size), kind.limit) + 1)
        var total = 0
        while true {
            if total == bytes.count {
                guard bytes.count < ceiling else { break }
                bytes += [UInt8](repeating: 0, count: min(max(bytes.count, chunkSize), ceiling - bytes.count))
            }
            let wanted = min(bytes.count - total, chunkSize)
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + total, wanted)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, errno: errno)
            }
            if count == 0 { break }
            total += count
            try Cancellation.check()
        }
        guard total <= kind.limit else {
            throw EngineError.io("\(path) grew past the \(describe(bytes: kind.limit)) limit for \(plural(kind)) while it was read")
        }
        bytes.removeLast(bytes.count - total)
        return bytes
    }

    /// Refuses to write over something that is not a regular file: a directory, a FIFO (the
    /// write would block until some other program reads), a device or a socket. A path that
    /// does not exist yet is fine.
    public static func checkWritable(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { return }
            throw failure(path, errno: errno, doing: "write")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw EngineError.io("cannot write to \(path): it is \(describe(mode: status.st_mode)), not a regular file")
        }
    }

    /// Writes `bytes` to `path` atomically (a partial file never replaces a good one), after
    /// `checkWritable`. Throws `EngineError.io` naming the path and the system's reason.
    public static func write(_ bytes: Data, to path: String) throws {
        try checkWritable(path)
        // Foundation's own message blames the file ("The file doesn't exist") when the folder is missing.
        let folder = (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            throw EngineError.io("cannot write \(path): the folder \(folder) does not exist")
        }
        if !folder.isEmpty, !isFolder.boolValue {
            throw EngineError.io("cannot write \(path): \(folder) is not a folder")
        }
        do {
            try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw EngineError.io("cannot write \(path): \((error as NSError).localizedDescription)")
        }
    }

    // MARK: - Messages

    private static func requireRegular(_ status: stat, path: String) throws {
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw EngineError.io("\(path) is \(describe(mode: status.st_mode)), not a regular file; only regular files are read")
        }
    }

    private static func requireWithinLimit(_ size: Int, path: String, kind: Kind) throws {
        guard size <= kind.limit else {
            throw EngineError.io("\(path) is \(describe(bytes: size)), over the \(describe(bytes: kind.limit)) limit for \(plural(kind))")
        }
    }

    private static func plural(_ kind: Kind) -> String { kind.name + "s" }

    /// What kind of file system object a mode says, with an article ("a directory").
    static func describe(mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file"
        }
    }

    /// Sizes in the unit people read: "512 bytes", "3.2 MB", "1 GB" (decimal units).
    static func describe(bytes: Int) -> String {
        if bytes < 1000 { return "\(bytes) bytes" }
        let units = [(1e9, "GB"), (1e6, "MB"), (1e3, "KB")]
        let (scale, unit) = units.first { Double(bytes) >= $0.0 } ?? units[2]
        let value = Double(bytes) / scale
        let text = value >= 100 || value == value.rounded() ? String(Int(value.rounded())) : String(format: "%.1f", value)
        return "\(text) \(unit)"
    }

    private static func failure(_ path: String, errno code: Int32, doing verb: String = "read") -> EngineError {
        switch code {
        case ENOENT: return .io("no such file: \(path)")
        case ENOTDIR: return .io("no such file: \(path) (a part of the path is not a folder)")
        case EACCES, EPERM: return .io("permission denied: \(path)")
        case ELOOP: return .io("cannot \(verb) \(path): too many symbolic links")
        case ENAMETOOLONG: return .io("cannot \(verb) \(path): the path is too long")
        default: return .io("cannot \(verb) \(path): \(String(cString: strerror(code)))")
        }
    }
}
