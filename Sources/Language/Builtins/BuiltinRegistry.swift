/// The one table of builtins: each declared once, looked up by the evaluator,
/// completion, inspection, `help` and the reference generator.
public final class BuiltinRegistry {
    private var byName: [String: Builtin] = [:]
    /// Names in declaration order (families stay together).
    public private(set) var names: [String] = []

    public init(_ builtins: [Builtin] = []) {
        builtins.forEach { register($0) }
    }

    /// Adds a builtin, replacing one of the same name (families added later may refine earlier ones).
    public func register(_ builtin: Builtin) {
        if byName[builtin.name] == nil { names.append(builtin.name) }
        byName[builtin.name] = builtin
    }

    public func builtin(named name: String) -> Builtin? { byName[name] }

    public var all: [Builtin] { names.compactMap { byName[$0] } }

    /// Families in the order their first builtin was declared.
    public var families: [(name: String, builtins: [Builtin])] {
        var order: [String] = []
        var members: [String: [Builtin]] = [:]
        for builtin in all {
            if members[builtin.family] == nil { order.append(builtin.family) }
            members[builtin.family, default: []].append(builtin)
        }
        return order.map { ($0, members[$0] ?? []) }
    }

    /// Every builtin the language ships with.
    public static func standard() -> BuiltinRegistry {
        BuiltinRegistry(CoreBuiltins.all + OutputBuiltins.all + FileBuiltins.all + ImageBuiltins.all + DatasetBuiltins.all
                        + ModelBuiltins.all
                        + ActivationBuiltins.all + UnitBuiltins.all + DissectBuiltins.all + GradientBuiltins.all + ClassMapBuiltins.all
                        + EmbeddingBuiltins.all + ToneMapBuiltins.all + SynthesisBuiltins.all + FeatureMatchingBuiltins.all
                        + StylizeBuiltins.all + TrainingBuiltins.all + DemoBuiltins.all + WidgetBuiltins.all)
    }
}
