import Foundation

/// How a widget shows in a notebook: `application/vnd.jupyter.widget-view+json` for front ends
/// with a widget manager (JupyterLab, Notebook 7, VS Code), and for the rest (jupyter console,
/// nbconvert) a text line describing the control and, where there is one, the current picture.
extension Widget {
    public static let viewMimeType = "application/vnd.jupyter.widget-view+json"

    public func displayBundle() -> DisplayBundle {
        var data = [Self.viewMimeType: "{\"model_id\": \"\(id)\", \"version_major\": 2, \"version_minor\": 0}",
                    "text/plain": describe()]
        var metadata: [String: Any] = [:]
        if let png = firstPicture() {
            data["image/png"] = png.base64EncodedString()
            metadata["image/png"] = [String: Any]()
        }
        return DisplayBundle(data: data, metadata: metadata)
    }

    /// The first Image's bytes in this widget or its children, for the static fallback.
    func firstPicture() -> Data? {
        if case .image = kind { return bytes("value") }
        for child in parts { if let png = child.firstPicture() { return png } }
        return nil
    }

    /// One line per control, in words: `slider "channels": 12 (0 to 63, step 1)`.
    public func describe() -> String {
        let label = (self["description"]?.stringValue).flatMap { $0.isEmpty ? nil : " \"\($0)\"" } ?? ""
        func number(_ key: String) -> String {
            self[key]?.numberValue.map(NumberFormatting.format) ?? "?"
        }
        switch kind {
        case .intSlider, .floatSlider, .floatLogSlider:
            return "slider\(label): \(number("value")) (\(number("min")) to \(number("max")), step \(number("step")))"
        case .dropdown(let options):
            let labels = options.map(ValueText.printed)
            return "dropdown\(label): " + ValueText.printed(value) + " (of " + labels.joined(separator: ", ") + ")"
        case .toggleButton:
            return "toggle\(label): " + ValueText.printed(value)
        case .checkbox:
            return "checkbox\(label): " + ValueText.printed(value)
        case .button:
            return "button\(label)"
        case .text:
            return "text\(label): " + ValueText.plain(value)
        case .label:
            return self["value"]?.stringValue ?? ""
        case .image:
            let size = bytes("value").map { "\($0.count) bytes of PNG" } ?? "empty"
            return "picture (\(size))"
        case .hbox, .vbox:
            return value.elements?.compactMap { element -> String? in
                guard case .widget(let child) = element else { return nil }
                let text = child.describe()
                return text.isEmpty ? nil : text
            }.joined(separator: "\n") ?? ""
        case .layout, .style:
            return modelName
        }
    }
}
