import Foundation

/// Live controls: Jupyter widgets (ipywidgets' protocol, spoken by the kernel itself) and
/// `interact`, which redraws a builtin's picture whenever a control changes.
enum WidgetBuiltins {
    static let family = "Widgets"

    static var all: [Builtin] { [slider, dropdown, toggle, button, text, picture, row, column, interact, explore] }

    static let slider = Builtin(
        "slider", family: family,
        parameters: [
            Parameter("min", .number, doc: "the smallest value"),
            Parameter("max", .number, doc: "the largest value (more than min)"),
            Parameter("step", .number, default: Value.none, doc: "the step; none: 1 for whole numbers, else (max - min) / 100"),
            Parameter("value", .number, default: Value.none, doc: "the starting value; none: min"),
            Parameter("description", .string, default: .string(""), doc: "the label shown beside it"),
        ],
        returns: "widget",
        summary: "A slider (IntSlider for whole numbers, else FloatSlider).",
        paragraph: "Its `value` member is where the front end last put it; passed to interact, moving it redraws. "
            + "Without a widget front end (jupyter console, nbconvert) it shows as a line of text.",
        example: "s = slider(0, 63, description: \"channel\")\ns.value"
    ) { call in
        let low = try call.number("min"), high = try call.number("max")
        guard low < high else { throw call.error("max", "max must be more than min (\(NumberFormatting.format(low)))") }
        let step: Double? = call.value("step").isNone ? nil : try call.number("step")
        let start: Double? = call.value("value").isNone ? nil : try call.number("value")
        if let step, step <= 0 { throw call.error("step", "step must be more than 0") }
        if let start, !(low...high).contains(start) {
            throw call.error("value", "value must be between \(NumberFormatting.format(low)) and \(NumberFormatting.format(high))")
        }
        let whole = [low, high, step ?? 1, start ?? low].allSatisfy { $0.rounded() == $0 }
        let widget = call.session.widgets.slider(min: low, max: high, step: step ?? (whole ? 1 : (high - low) / 100),
                                                 value: start ?? low, description: try call.string("description"),
                                                 integer: whole)
        return .widget(widget)
    }

    static let dropdown = Builtin(
        "dropdown", family: family,
        parameters: [
            Parameter("options", .list, doc: "the choices (strings or numbers)"),
            Parameter("value", .any, default: Value.none, doc: "the starting choice; none: the first"),
            Parameter("description", .string, default: .string(""), doc: "the label shown beside it"),
        ],
        returns: "widget",
        summary: "A dropdown list of choices (Dropdown).",
        paragraph: "Its `value` member is the chosen option itself, as given in the list.",
        example: "d = dropdown([\"fire2\", \"fire3\"], description: \"layer\")\nd.value"
    ) { call in
        guard let options = call.value("options").elements, !options.isEmpty else {
            throw call.error("options", "a dropdown needs at least one option")
        }
        if options.count > 10_000 { throw call.error("options", "\(options.count) options are too many (at most 10000)") }
        var index = 0
        if !call.value("value").isNone {
            guard let found = options.firstIndex(where: { $0.isEqual(to: call.value("value")) }) else {
                throw call.error("value", "\(ValueText.plain(call.value("value"))) is not one of the options")
            }
            index = found
        }
        return .widget(call.session.widgets.dropdown(options: options, labels: options.map(ValueText.printed),
                                                     index: index, description: try call.string("description")))
    }

    static let toggle = Builtin(
        "toggle", family: family,
        parameters: [
            Parameter("description", .string, default: .string(""), doc: "the button's text (the checkbox's label)"),
            Parameter("value", .bool, default: .bool(false), doc: "whether it starts on"),
            Parameter("style", .choice(["button", "checkbox"]), default: .string("button"),
                      doc: "a ToggleButton or a Checkbox"),
        ],
        returns: "widget",
        summary: "An on/off control (ToggleButton or Checkbox).",
        paragraph: "Its `value` member is true or false.",
        example: "toggle(\"guided\")\ntoggle(\"relu only\", value: true, style: \"checkbox\")"
    ) { call in
        .widget(call.session.widgets.toggle(value: try call.bool("value"), description: try call.string("description"),
                                            checkbox: try call.string("style") == "checkbox"))
    }

    static let button = Builtin(
        "button", family: family,
        parameters: [Parameter("description", .string, doc: "the button's text")],
        returns: "widget",
        summary: "A push button (Button).",
        paragraph: "Clicks arrive as the widget protocol's custom messages; its `value` member counts them.",
        example: "b = button(\"stop\")\nb.value"
    ) { call in
        .widget(call.session.widgets.button(description: try call.string("description")))
    }

    static let text = Builtin(
        "text", family: family,
        parameters: [
            Parameter("value", .string, default: .string(""), doc: "the starting text"),
            Parameter("description", .string, default: .string(""), doc: "the label shown beside it"),
            Parameter("placeholder", .string, default: .string(""), doc: "grey text shown while it is empty"),
        ],
        returns: "widget",
        summary: "A one-line text field (Text).",
        paragraph: "Its `value` member is the text as typed.",
        example: "text(\"tabby\", description: \"class\")"
    ) { call in
        .widget(call.session.widgets.text(value: try call.string("value"), description: try call.string("description"),
                                          placeholder: try call.string("placeholder")))
    }

    static let picture = Builtin(
        "picture", family: family,
        parameters: [Parameter("value", .picture, doc: "the image to show")],
        returns: "widget",
        summary: "An image as a widget (Image), whose picture can be replaced in place.",
        paragraph: "The PNG bytes travel as a binary buffer of the comm message, not as base64.",
        example: "picture(image(\"chelsea\"))"
    ) { call in
        guard case .engine(let value) = call.value("value"), let shown = try value.shownPNG() else {
            throw call.error("value", "picture needs an image")
        }
        return .widget(call.session.widgets.image(png: shown.png, width: "\(shown.width)", height: "\(shown.height)"))
    }

    static let row = Builtin(
        "row", family: family, variadic: "widgets",
        returns: "widget",
        summary: "Widgets side by side (HBox).",
        paragraph: "Takes any number of widgets.",
        example: "row(slider(0, 10), toggle(\"on\"))"
    ) { call in .widget(call.session.widgets.box(try widgets(call), horizontal: true)) }

    static let column = Builtin(
        "column", family: family, variadic: "widgets",
        returns: "widget",
        summary: "Widgets one above the other (VBox).",
        paragraph: "Takes any number of widgets.",
        example: "column(slider(0, 10), picture(image(\"chelsea\")))"
    ) { call in .widget(call.session.widgets.box(try widgets(call), horizontal: false)) }

    private static func widgets(_ call: Invocation) throws -> [Widget] {
        try call.rest.enumerated().map { index, value in
            guard case .widget(let widget) = value else {
                throw LensError(.type, "\(call.builtin.name) takes widgets, got \(value.typeName) as item \(index + 1)",
                                at: call.callSpan, hint: "make controls with slider, dropdown, toggle, button, text or picture")
            }
            return widget
        }
    }

    static var interact: Builtin {
        var builtin = Builtin(
            "interact", family: family,
            parameters: [Parameter("builtin", .any, doc: "the builtin to call, such as activations")],
            variadic: "arguments",
            returns: "widget",
            summary: "Calls a builtin with some arguments given as controls, and redraws when one changes.",
            paragraph: "Any argument, positional or named, may be a slider, dropdown, toggle or text; the builtin is "
                + "called with their current values and its picture is shown below them, redrawn whenever a control "
                + "moves, even while another cell runs. Errors and non-picture results appear as text below.",
            example: "interact(activations, net, cat, layer: dropdown([\"fire2\", \"fire3\"]), channels: slider(0, 63))"
        ) { call in
            guard case .function(let target) = call.value("builtin") else {
                throw call.error("builtin", .type, "interact needs a builtin to call, got \(call.value("builtin").typeName)",
                                 hint: "for example interact(activations, net, img, channels: slider(0, 63))")
            }
            let session = call.session.callbackSession()
            // Argument mistakes (a misspelt name, a wrong type) fail the cell, as in a direct call, before any widget opens.
            _ = try ArgumentBinder(builtin: target).bind(Interaction.given(call.rest, call.named, call.callSpan),
                                                         callSpan: call.callSpan, session: session)
            let interaction = Interaction(builtin: target, positional: call.rest, named: call.named,
                                          callSpan: call.callSpan, session: session)
            let controls = interaction.controls
            let widgets = call.session.widgets
            let top: [Widget] = controls.isEmpty ? [] : [widgets.box(controls, horizontal: false)]
            let view = widgets.box(top + [interaction.picture, interaction.label], horizontal: false)
            interaction.attach(view: top + [view])
            return .widget(view)
        }
        builtin.takesAnyNamed = true
        return builtin
    }
}
