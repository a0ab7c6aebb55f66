/// Everything the engine can refuse, with enough words to say what and where.
///
/// The language shows `description` to the user as is, so every message names the
/// operation and the offending shape or value.
public enum EngineError: Error, CustomStringConvertible, Equatable {
    /// The running cell was interrupted (see `Cancellation`).
    case cancelled
    /// Two shapes that must agree do not, e.g. "conv2d: input has 4 channels, weight expects 3".
    case shapeMismatch(String)
    /// An argument is out of its domain, e.g. a negative stride or a label past the class count.
    case invalid(String)
    /// A file could not be read or written (names the path and the system's reason).
    case io(String)
    /// A file was read but its contents are not what they claim to be (truncated, wrong magic, bad field).
    case format(String)
    /// A valid request the engine does not implement.
    case unsupported(String)

    public var description: String {
        switch self {
        case .cancelled: return "interrupted"
        case .shapeMismatch(let message): return "shape mismatch: \(message)"
        case .invalid(let message): return "invalid argument: \(message)"
        case .io(let message): return "I/O error: \(message)"
        case .format(let message): return "bad file format: \(message)"
        case .unsupported(let message): return "unsupported: \(message)"
        }
    }
}
