import Engine

/// One parameter of a builtin, declared once and used for checking, completion and docs.
public struct Parameter {
    public var name: String
    public var type: ParameterType
    /// nil when the argument is required.
    public var defaultValue: Value?
    /// The numbers the argument accepts (each of them, for a list of whole numbers), checked by the
    /// binder and printed by help; an engine constant (`TSNE.Options.perplexityRange`) where the
    /// engine has the rule, so the language and the engine cannot drift apart. nil: any finite number.
    public var range: NumberRange?
    /// One line for the reference and the inspector.
    public var doc: String

    public init(_ name: String, _ type: ParameterType, default defaultValue: Value? = nil, range: NumberRange? = nil,
                doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.range = range
        self.doc = doc
    }

    public var isRequired: Bool { defaultValue == nil }

    /// `name: type = default` as signatures show it.
    public var signature: String {
        var text = "\(name): \(type.name)"
        if let defaultValue { text += " = \(ValueText.plain(defaultValue))" }
        return text
    }

    /// The doc line with the accepted range: "gradient ascent steps (1 to 10000)".
    public var documentation: String {
        guard let range else { return doc }
        return doc + " (\(range))"
    }
}
