import Engine

/// Placeholder session; the language issue replaces it.
public final class Session {
    public init() {}
}
