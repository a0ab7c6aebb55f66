import Engine

/// The tone-mapping argument that every builtin drawing values takes (lecture 000, 1.3): one
/// declaration so the modes, their spelling and their documentation agree everywhere.
enum ToneParameter {
    static let modes = ToneMap.allCases.map(\.rawValue)

    /// `mode:` with a default; `nil` means the builtin's own drawing (signed gradients, for one).
    static func parameter(_ name: String = "mode", default mode: ToneMap?, doc: String = "tone mapping of the values") -> Parameter {
        Parameter(name, .choice(modes), default: mode.map { .string($0.rawValue) } ?? Value.none,
                  doc: mode == nil ? doc + " (none: the builtin's own)" : doc)
    }

    static func read(_ call: Invocation, _ name: String = "mode") throws -> ToneMap? {
        try call.optionalString(name).flatMap(ToneMap.init(rawValue:))
    }
}
