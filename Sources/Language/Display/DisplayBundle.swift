/// A value rendered for the notebook: mimetype -> data (text, or base64 for images) plus metadata.
///
/// The language's own type, so it needs nothing from the kernel; the executable
/// converts it to the kernel's `MimeBundle`.
public struct DisplayBundle: @unchecked Sendable {
    public var data: [String: String]
    /// JSON-compatible values (String, Int, Double, Bool, arrays, dictionaries).
    public var metadata: [String: Any]

    public init(data: [String: String], metadata: [String: Any] = [:]) {
        self.data = data
        self.metadata = metadata
    }

    /// A bundle with only text/plain.
    public static func text(_ text: String) -> DisplayBundle {
        DisplayBundle(data: ["text/plain": text])
    }

    /// The text/plain part (always present).
    public var plainText: String { data["text/plain"] ?? "" }
}
