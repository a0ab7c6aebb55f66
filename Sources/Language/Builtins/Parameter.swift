/// One parameter of a builtin, declared once and used for checking, completion and docs.
public struct Parameter {
    public var name: String
    public var type: ParameterType
    /// nil when the argument is required.
    public var defaultValue: Value?
    /// One line for the reference and the inspector.
    public var doc: String

    public init(_ name: String, _ type: ParameterType, default defaultValue: Value? = nil, doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
    }

    public var isRequired: Bool { defaultValue == nil }

    /// `name: type = default` as signatures show it.
    public var signature: String {
        var text = "\(name): \(type.name)"
        if let defaultValue { text += " = \(ValueText.plain(defaultValue))" }
        return text
    }
}
