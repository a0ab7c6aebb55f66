/// Documentation shown as a value: what `help()` and `help(name)` return.
public struct HelpText {
    public var plain: String
    public var markdown: String

    public init(plain: String, markdown: String) {
        self.plain = plain
        self.markdown = markdown
    }
}
