import Foundation

/// Kernel diagnostics go to stderr, which Jupyter front ends keep in their log.
public enum KernelLog {
    public static func error(_ text: String) {
        write("[convlens kernel] error: \(text)\n")
    }

    public static func info(_ text: String) {
        write("[convlens kernel] \(text)\n")
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
