import Engine

/// Turns errors thrown by the engine into located language errors.
///
/// An engine refusal about one of the call's inputs (an image too small for the network) points
/// at that argument and names it; everything else points at the call.
enum EngineErrors {
    static func translate(_ error: Error, in invocation: Invocation? = nil, at span: SourceSpan) -> LensError {
        switch error {
        case EngineError.cancelled:
            return LensError(.interrupted, "the cell was interrupted", at: span)
        case EngineError.io(let message):
            return LensError(.io, message, at: span)
        case let tooSmall as ImageTooSmall:
            return imageTooSmall(tooSmall, in: invocation, at: span)
        case let engineError as EngineError:
            return LensError(.engine, engineError.description, at: span)
        default:
            return LensError(.engine, String(describing: error), at: span)
        }
    }

    /// "img is 2000x3: the image's height (3 px) is too small for squeezenet: ...", at the argument.
    static func imageTooSmall(_ error: ImageTooSmall, in invocation: Invocation?, at span: SourceSpan) -> LensError {
        let hint = "use an image at least \(error.minimum) px on each side as the network gets it"
            + (error.layer == nil ? "" : ", or an earlier layer")
        guard let invocation else { return LensError(.value, error.description, at: span, hint: hint) }
        if error.role == .result {
            guard invocation.builtin.parameter(named: "size") != nil else {
                return LensError(.value, error.description, at: span, hint: hint)
            }
            return LensError(.value, "size \(ValueText.plain(invocation.value("size"))): \(error.description)",
                             at: invocation.span("size"), hint: "use a larger size")
        }
        guard let (argument, subject) = culprit(of: error, in: invocation) else {
            return LensError(.value, error.description, at: span, hint: hint)
        }
        return LensError(.value, "\(subject): \(error.description)", at: invocation.span(argument), hint: hint)
    }

    /// The argument that gave the image too small, and how to name it ("img is 2000x3",
    /// "images[1] is 3x2000"): style transfer's content and style by name; otherwise the first
    /// image argument holding an image below the floor (the one argument, for a technique that
    /// resized it first), else the first image argument.
    static func culprit(of error: ImageTooSmall, in invocation: Invocation) -> (argument: String, subject: String)? {
        let imageParameters = invocation.builtin.parameters.filter { parameter in
            switch parameter.type {
            case .picture, .pictures: return true
            default: return false
            }
        }.map(\.name)
        let named = imageParameters.filter { $0 == error.role.rawValue }
        func pictures(_ name: String) -> [Picture] {
            switch invocation.value(name) {
            case .engine(.picture(let picture)): return [picture]
            case .list(let items): return items.compactMap { if case .engine(.picture(let picture)) = $0 { return picture } else { return nil } }
            default: return []
            }
        }
        func tooSmall(_ picture: Picture) -> Bool { min(picture.image.width, picture.image.height) < error.minimum }
        let candidates = named.isEmpty ? imageParameters : named
        let argument = candidates.first { pictures($0).contains(where: tooSmall) } ?? candidates.first
        guard let argument else { return nil }
        let given = pictures(argument)
        guard let index = given.firstIndex(where: tooSmall) ?? (given.isEmpty ? nil : 0) else { return (argument, argument) }
        let picture = given[index]
        let label = isList(invocation.value(argument)) ? "\(argument)[\(index)]" : argument
        let givenLength = error.side == .width ? picture.image.width : picture.image.height
        // The technique may shrink the image first (a bound on its size): say so, or "3 px" would
        // contradict the size the user gave.
        let scaled = givenLength == error.length ? ""
            : ", which \(invocation.builtin.name) scales to \(error.length) px \(error.side == .width ? "wide" : "high")"
        return (argument, "\(label) is \(picture.image.width)x\(picture.image.height)\(scaled)")
    }

    private static func isList(_ value: Value) -> Bool {
        if case .list = value { return true }
        return false
    }
}
