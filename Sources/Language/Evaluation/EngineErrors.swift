import Engine

/// Turns errors thrown by the engine into located language errors.
enum EngineErrors {
    static func translate(_ error: Error, at span: SourceSpan) -> LensError {
        switch error {
        case EngineError.cancelled:
            return LensError(.interrupted, "the cell was interrupted", at: span)
        case EngineError.io(let message):
            return LensError(.io, message, at: span)
        case let engineError as EngineError:
            return LensError(.engine, engineError.description, at: span)
        default:
            return LensError(.engine, String(describing: error), at: span)
        }
    }
}
