import Foundation

/// One Jupyter widget model (ipywidgets' model state schema, `jupyterwidgetmodels.latest.md`):
/// its comm id (the model id), the model and view it names, and its state, JSON plus binary
/// fields (an Image's PNG bytes) that travel as buffers named by `buffer_paths`.
///
/// State is read by the cell thread (`s.value`) and written by the comm thread (a front-end
/// update), so every access goes through `lock`; handlers run on the comm thread.
public final class Widget: @unchecked Sendable {
    /// The kinds of model the language makes; each fixes the model and view names.
    public enum Kind {
        case intSlider, floatSlider, floatLogSlider, dropdown(options: [Value]), toggleButton, checkbox, button, text, image, label
        case hbox, vbox, layout
        /// A style model (`SliderStyleModel`, `ButtonStyleModel`, ...).
        case style(String)
    }

    public let id: String
    public let kind: Kind
    let manager: WidgetManager
    private let lock = NSLock()
    private var state: [String: WidgetJSON]
    private var binary: [String: Data]
    private var changeHandlers: [(Widget) -> Void] = []
    private var clickHandlers: [(Widget) -> Void] = []
    private var closeHandlers: [(Widget) -> Void] = []
    /// How often the button was clicked (a button's value in the language).
    public private(set) var clicks = 0
    /// Widgets this one refers to (layout, style, children), kept alive with it.
    let parts: [Widget]

    init(kind: Kind, state: [String: WidgetJSON], binary: [String: Data] = [:], parts: [Widget] = [],
         manager: WidgetManager) {
        self.id = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        self.kind = kind
        self.manager = manager
        self.parts = parts
        var full = Self.header(kind)
        full.merge(state) { _, given in given }
        self.state = full
        self.binary = binary
    }

    /// `"IPY_MODEL_<id>"`, how one model's state refers to another (children, layout, style).
    public var reference: WidgetJSON { .string("IPY_MODEL_" + id) }

    /// The model and view fields every state starts with (version 2.0.0 of both modules).
    static func header(_ kind: Kind) -> [String: WidgetJSON] {
        let (model, view, module, viewModule) = names(kind)
        return ["_model_name": .string(model), "_model_module": .string(module), "_model_module_version": "2.0.0",
                "_view_name": view.map(WidgetJSON.string) ?? .null, "_view_module": .string(viewModule),
                "_view_module_version": "2.0.0"]
    }

    private static func names(_ kind: Kind) -> (String, String?, String, String) {
        let controls = "@jupyter-widgets/controls", base = "@jupyter-widgets/base"
        switch kind {
        case .intSlider: return ("IntSliderModel", "IntSliderView", controls, controls)
        case .floatSlider: return ("FloatSliderModel", "FloatSliderView", controls, controls)
        case .floatLogSlider: return ("FloatLogSliderModel", "FloatLogSliderView", controls, controls)
        case .dropdown: return ("DropdownModel", "DropdownView", controls, controls)
        case .toggleButton: return ("ToggleButtonModel", "ToggleButtonView", controls, controls)
        case .checkbox: return ("CheckboxModel", "CheckboxView", controls, controls)
        case .button: return ("ButtonModel", "ButtonView", controls, controls)
        case .text: return ("TextModel", "TextView", controls, controls)
        case .image: return ("ImageModel", "ImageView", controls, controls)
        case .label: return ("LabelModel", "LabelView", controls, controls)
        case .hbox: return ("HBoxModel", "HBoxView", controls, controls)
        case .vbox: return ("VBoxModel", "VBoxView", controls, controls)
        case .layout: return ("LayoutModel", "LayoutView", base, base)
        case .style(let model): return (model, "StyleView", controls, base)
        }
    }

    /// `IntSliderModel`, `ImageModel`, ...
    public var modelName: String { Self.names(kind).0 }

    /// The value of state field `key`.
    public subscript(key: String) -> WidgetJSON? {
        lock.withLock { state[key] }
    }

    /// The bytes of binary field `key` (an Image's `value`).
    public func bytes(_ key: String) -> Data? {
        lock.withLock { binary[key] }
    }

    /// The full state for comm_open, request_state and update_states: JSON fields, with each
    /// binary field left out of `state` and named in `buffer_paths` as `[key]`, its bytes in `buffers`.
    public func fullState() -> (state: [String: WidgetJSON], bufferPaths: [[String]], buffers: [Data]) {
        lock.withLock {
            let keys = binary.keys.sorted()
            return (state, keys.map { [$0] }, keys.compactMap { binary[$0] })
        }
    }

    /// Changes state from the kernel side and sends the change to the front end as an `update`.
    public func set(_ changes: [String: WidgetJSON], binary binaryChanges: [String: Data] = [:]) {
        lock.withLock {
            state.merge(changes) { _, new in new }
            binary.merge(binaryChanges) { _, new in new }
        }
        let keys = binaryChanges.keys.sorted()
        manager.send(self, method: "update", state: changes, bufferPaths: keys.map { [$0] },
                     buffers: keys.compactMap { binaryChanges[$0] })
    }

    /// Runs `handler` on the comm thread after each change the front end makes.
    public func onChange(_ handler: @escaping (Widget) -> Void) {
        lock.withLock { changeHandlers.append(handler) }
    }

    /// Runs `handler` on the comm thread after each click of a button.
    public func onClick(_ handler: @escaping (Widget) -> Void) {
        lock.withLock { clickHandlers.append(handler) }
    }

    /// Runs `handler` once when the widget's comm closes, from either side.
    public func onClose(_ handler: @escaping (Widget) -> Void) {
        lock.withLock { closeHandlers.append(handler) }
    }

    // MARK: From the front end

    /// Applies what the front end may change for this kind (a slider's value, a dropdown's
    /// index, ...), checked and clamped; returns the accepted fields as now held, for echo_update.
    func applyFrontEndUpdate(_ update: [String: WidgetJSON]) -> [String: WidgetJSON] {
        lock.withLock {
            var accepted: [String: WidgetJSON] = [:]
            for (key, value) in update {
                guard let checked = check(key, value) else { continue }
                state[key] = checked
                accepted[key] = checked
            }
            return accepted
        }
    }

    /// The value `key` may take from the front end, or nil when it is not writable or of the wrong type.
    private func check(_ key: String, _ value: WidgetJSON) -> WidgetJSON? {
        switch (kind, key) {
        case (.intSlider, "value"), (.floatSlider, "value"):
            guard var number = value.numberValue, number.isFinite else { return nil }
            if case .intSlider = kind { number = number.rounded() }
            let low = state["min"]?.numberValue ?? number, high = state["max"]?.numberValue ?? number
            return .number(min(max(number, low), high))
        case (.floatLogSlider, "value"):
            // min and max are exponents of `base` (ipywidgets' FloatLogSlider).
            guard let number = value.numberValue, number.isFinite, number > 0 else { return nil }
            let base = state["base"]?.numberValue ?? 10
            let low = state["min"].flatMap(\.numberValue).map { pow(base, $0) } ?? number
            let high = state["max"].flatMap(\.numberValue).map { pow(base, $0) } ?? number
            return .number(min(max(number, low), high))
        case (.dropdown(let options), "index"):
            guard let index = value.integerValue, options.indices.contains(index) else { return nil }
            return .number(Double(index))
        case (.toggleButton, "value"), (.checkbox, "value"):
            return value.boolValue.map(WidgetJSON.bool)
        case (.text, "value"):
            return value.stringValue.map(WidgetJSON.string)
        default:
            return nil
        }
    }

    func runChangeHandlers() {
        for handler in lock.withLock({ changeHandlers }) { handler(self) }
    }

    func runCloseHandlers() {
        // Taken out first: a handler that closes other widgets must not run this one's again.
        let handlers = lock.withLock { () -> [(Widget) -> Void] in
            // A closed widget gets no more messages: dropping every handler also breaks the
            // cycles an interaction's handlers make (control -> handler -> interaction -> control).
            defer { closeHandlers = []; changeHandlers = []; clickHandlers = [] }
            return closeHandlers
        }
        for handler in handlers { handler(self) }
    }

    func click() {
        let handlers = lock.withLock { () -> [(Widget) -> Void] in
            clicks += 1
            return clickHandlers
        }
        for handler in handlers { handler(self) }
    }

    // MARK: In the language

    /// The widget's value as the language sees it: a slider's number, a dropdown's chosen
    /// option, a toggle's bool, a text's string, a button's click count, a box's children.
    public var value: Value {
        switch kind {
        case .intSlider, .floatSlider, .floatLogSlider:
            return self["value"]?.numberValue.map(Value.number) ?? .none
        case .dropdown(let options):
            guard let index = self["index"]?.integerValue, options.indices.contains(index) else { return .none }
            return options[index]
        case .toggleButton, .checkbox:
            return self["value"]?.boolValue.map(Value.bool) ?? .none
        case .text, .label:
            return self["value"]?.stringValue.map(Value.string) ?? .none
        case .button:
            return .number(Double(lock.withLock { clicks }))
        case .hbox, .vbox:
            return .list(parts.filter { if case .layout = $0.kind { return false } else { return true } }.map(Value.widget))
        case .image, .layout, .style:
            return .none
        }
    }

    /// Whether the front end sets this widget's value (what `interact` can drive).
    public var isControl: Bool {
        switch kind {
        case .intSlider, .floatSlider, .dropdown, .toggleButton, .checkbox, .text: return true
        default: return false
        }
    }
}
