/// A function of the language, declared once: its name, parameters, documentation and body.
///
/// The declaration drives argument checking (`ArgumentBinder`), completion,
/// inspection, `help` and the generated reference, so none of them can drift apart.
public struct Builtin {
    public typealias Body = (Invocation) throws -> Value

    public var name: String
    public var parameters: [Parameter]
    /// When set, extra positional arguments are collected under this name (as in `print(a, b, c)`).
    public var variadic: String?
    /// When true, named arguments matching no parameter are collected in `Invocation.named`
    /// (as in `interact(activations, net, img, layer: dropdown(...))`) instead of refused.
    public var takesAnyNamed = false
    /// What the call returns, as docs say it.
    public var returns: String
    public var summary: String
    public var paragraph: String
    public var example: String
    /// The lecture (file in shared/lectures and section) the builtin comes from, if any.
    public var lecture: String?
    /// The group it is listed under in help and the reference.
    public var family: String
    public var body: Body

    public init(_ name: String, family: String, parameters: [Parameter] = [], variadic: String? = nil,
                returns: String, summary: String, paragraph: String, example: String, lecture: String? = nil,
                body: @escaping Body) {
        self.name = name
        self.family = family
        self.parameters = parameters
        self.variadic = variadic
        self.returns = returns
        self.summary = summary
        self.paragraph = paragraph
        self.example = example
        self.lecture = lecture
        self.body = body
    }

    /// `classify(net: model, img: image, top: integer = 5) -> table`
    public var signature: String {
        var parts = parameters.map(\.signature)
        if let variadic { parts.append("\(variadic)...") }
        return "\(name)(" + parts.joined(separator: ", ") + ") -> \(returns)"
    }

    public func parameter(named name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }
}
