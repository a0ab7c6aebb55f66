import Foundation

/// `interact(builtin, args..., name: control...)`: calls a builtin with some arguments given as
/// controls, shows the controls above an Image widget (and a Label for text results and
/// errors), and calls the builtin again whenever a control changes.
///
/// The first call runs on the cell's thread; later ones on the kernel's comm thread, in
/// `session`, a callback session (`Session.callbackSession`) so they never touch the state
/// of a cell running meanwhile. A failing call never throws out of a callback: its message
/// goes to the label and the last good picture stays.
final class Interaction {
    let builtin: Builtin
    let positional: [Value]
    let named: [(label: String, value: Value, span: SourceSpan)]
    let callSpan: SourceSpan
    let session: Session
    let picture: Widget
    let label: Widget

    /// What one call gave: a picture's PNG, or text (a non-picture result or an error).
    enum Outcome {
        case picture(ShownPNG)
        case text(String)

        var text: String {
            if case .text(let text) = self { return text }
            return ""
        }
    }

    init(builtin: Builtin, positional: [Value], named: [(label: String, value: Value, span: SourceSpan)],
         callSpan: SourceSpan, session: Session) {
        self.builtin = builtin
        self.positional = positional
        self.named = named
        self.callSpan = callSpan
        self.session = session
        // The first call runs before the widgets exist, so their comm_open already carries its picture.
        let first = Self.run(builtin, Self.given(positional, named, callSpan), callSpan, session)
        if case .picture(let shown) = first {
            picture = session.widgets.image(png: shown.png, width: "\(shown.width)", height: "\(shown.height)")
            label = session.widgets.label("")
        } else {
            picture = session.widgets.image(png: Data())
            label = session.widgets.label(first.text)
        }
    }

    /// The controls among the arguments, in call order (each once).
    var controls: [Widget] {
        var seen = Set<String>()
        return (positional + named.map(\.value)).compactMap { value -> Widget? in
            guard case .widget(let widget) = value, widget.isControl, seen.insert(widget.id).inserted else { return nil }
            return widget
        }
    }

    /// Binds the arguments with each control replaced by its current value; argument errors
    /// (a misspelt name, a wrong type) are thrown, as a cell's error would be.
    func invocation() throws -> Invocation {
        try ArgumentBinder(builtin: builtin).bind(Self.given(positional, named, callSpan), callSpan: callSpan,
                                                  session: session)
    }

    /// The arguments as written, each control replaced by its current value.
    static func given(_ positional: [Value], _ named: [(label: String, value: Value, span: SourceSpan)],
                              _ callSpan: SourceSpan) -> [ArgumentBinder.Given] {
        func resolved(_ value: Value) -> Value {
            if case .widget(let widget) = value, widget.isControl { return widget.value }
            return value
        }
        return positional.map { ArgumentBinder.Given(label: nil, labelSpan: nil, value: resolved($0), span: callSpan) }
            + named.map { ArgumentBinder.Given(label: $0.label, labelSpan: $0.span, value: resolved($0.value), span: $0.span) }
    }

    /// Runs the builtin once with the controls' values.
    func run() -> Outcome {
        Self.run(builtin, Self.given(positional, named, callSpan), callSpan, session)
    }

    private static func run(_ builtin: Builtin, _ given: [ArgumentBinder.Given], _ callSpan: SourceSpan,
                            _ session: Session) -> Outcome {
        do {
            let call = try ArgumentBinder(builtin: builtin).bind(given, callSpan: callSpan, session: session)
            let result: Value
            do {
                result = try builtin.body(call)
            } catch let error as LensError {
                throw error
            } catch {
                throw EngineErrors.translate(error, in: call, at: callSpan)
            }
            if case .engine(let engineValue) = result, let shown = try engineValue.shownPNG() {
                return .picture(shown)
            }
            return .text(ValueText.plain(result))
        } catch let error as LensError {
            return .text("\(error.kind.rawValue): \(error.message)")
        } catch {
            return .text("error: \(error)")
        }
    }

    /// Calls the builtin and shows the outcome in the picture and label widgets.
    func redraw() {
        switch run() {
        case .picture(let shown):
            picture.set(["width": .string("\(shown.width)"), "height": .string("\(shown.height)")], binary: ["value": shown.png])
            if label["value"]?.stringValue != "" { label.set(["value": ""]) }
        case .text(let text):
            label.set(["value": .string(text)])
        }
    }

    /// Starts listening to the controls after the first draw. `view` holds the boxes that show
    /// the controls and the picture: when a control's comm closes, the interaction can no longer
    /// change, so its picture, label and those boxes are closed too (the controls stay, they
    /// may serve other interactions).
    func attach(view: [Widget] = []) {
        // Held strongly: the controls are what keeps an interaction alive, as the session's
        // widget manager keeps the controls (until the front end closes their comms).
        for control in controls {
            control.onChange { _ in self.redraw() }
            control.onClose { _ in
                for widget in [self.picture, self.label] + view { self.session.widgets.close(widget) }
            }
        }
    }
}
