/// Why a connection file could not be used.
public enum ConnectionError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read connection file \(path): \(reason)"
        case .invalid(let path, let reason): return "connection file \(path) is not valid: \(reason)"
        }
    }
}
