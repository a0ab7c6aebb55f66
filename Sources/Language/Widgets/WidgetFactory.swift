import Foundation

/// Makes the widgets the language offers, each with the fields its model schema lists
/// (ipywidgets 8, `jupyterwidgetmodels.latest.md`), its own Layout model, and the style
/// model its view reads; each is registered, which opens its comm.
extension WidgetManager {
    /// A slider: IntSlider when `integer`, else FloatSlider. Numbers as given; the caller checks min < max.
    public func slider(min: Double, max: Double, step: Double, value: Double, description: String,
                       integer: Bool) -> Widget {
        control(integer ? .intSlider : .floatSlider, style: "SliderStyleModel",
                ["value": .number(value), "min": .number(min), "max": .number(max), "step": .number(step),
                 "description": .string(description), "orientation": "horizontal", "readout": true,
                 "readout_format": integer ? "d" : ".2f", "continuous_update": true, "disabled": false,
                 "behavior": "drag-tap"])
    }

    /// A FloatLogSlider from `min` to `max` (positive values; the model holds their base-10
    /// exponents), for quantities that span decades such as a learning rate.
    public func logSlider(min: Double, max: Double, value: Double, description: String) -> Widget {
        control(.floatLogSlider, style: "SliderStyleModel",
                ["value": .number(value), "base": 10, "min": .number(log10(min)), "max": .number(log10(max)),
                 "step": 0.1, "description": .string(description), "orientation": "horizontal", "readout": true,
                 "readout_format": ".3g", "continuous_update": false, "disabled": false, "behavior": "drag-tap"])
    }

    /// A Dropdown over `options` shown as `labels`; its `index` is what the front end changes.
    public func dropdown(options: [Value], labels: [String], index: Int, description: String) -> Widget {
        control(.dropdown(options: options), style: "DescriptionStyleModel",
                ["_options_labels": .array(labels.map(WidgetJSON.string)), "index": .number(Double(index)),
                 "description": .string(description), "disabled": false])
    }

    /// A ToggleButton, or a Checkbox when `checkbox`.
    public func toggle(value: Bool, description: String, checkbox: Bool) -> Widget {
        if checkbox {
            return control(.checkbox, style: "CheckboxStyleModel",
                           ["value": .bool(value), "description": .string(description), "disabled": false, "indent": true])
        }
        return control(.toggleButton, style: "ToggleButtonStyleModel",
                       ["value": .bool(value), "description": .string(description), "disabled": false,
                        "button_style": "", "icon": ""])
    }

    /// A Button; clicks arrive as `custom` messages `{event: "click"}`.
    public func button(description: String) -> Widget {
        control(.button, style: "ButtonStyleModel",
                ["description": .string(description), "disabled": false, "button_style": "", "icon": ""])
    }

    /// A one-line Text field.
    public func text(value: String, description: String, placeholder: String) -> Widget {
        control(.text, style: "TextStyleModel",
                ["value": .string(value), "description": .string(description), "placeholder": .string(placeholder),
                 "continuous_update": true, "disabled": false])
    }

    /// A Label: a line of text (interact's errors and non-picture results).
    public func label(_ text: String) -> Widget {
        control(.label, style: "LabelStyleModel", ["value": .string(text), "description": ""])
    }

    /// An Image of PNG bytes; `value` travels as a buffer. Width and height are CSS sizes ("" = natural).
    public func image(png: Data, width: String = "", height: String = "") -> Widget {
        let layout = self.layout()
        let widget = Widget(kind: .image,
                            state: ["format": "png", "width": .string(width), "height": .string(height),
                                    "layout": layout.reference, "_dom_classes": [], "tabbable": nil, "tooltip": nil],
                            binary: ["value": png], parts: [layout], manager: self)
        register(widget)
        return widget
    }

    /// An HBox (`horizontal`) or VBox of `children`.
    public func box(_ children: [Widget], horizontal: Bool) -> Widget {
        let layout = self.layout()
        let widget = Widget(kind: horizontal ? .hbox : .vbox,
                            state: ["children": .array(children.map(\.reference)), "box_style": "",
                                    "layout": layout.reference, "_dom_classes": [], "tabbable": nil, "tooltip": nil],
                            parts: [layout] + children, manager: self)
        register(widget)
        return widget
    }

    private func layout() -> Widget {
        let widget = Widget(kind: .layout, state: [:], manager: self)
        register(widget)
        return widget
    }

    private func control(_ kind: Widget.Kind, style styleModel: String, _ fields: [String: WidgetJSON]) -> Widget {
        let layout = self.layout()
        let style = Widget(kind: .style(styleModel), state: ["description_width": ""], manager: self)
        register(style)
        var state = fields
        state["layout"] = layout.reference
        state["style"] = style.reference
        state["_dom_classes"] = []
        state["tabbable"] = nil
        state["tooltip"] = nil
        if state["description"] != nil { state["description_allow_html"] = false }
        let widget = Widget(kind: kind, state: state, parts: [layout, style], manager: self)
        register(widget)
        return widget
    }
}
