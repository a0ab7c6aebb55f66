import Foundation

/// A session's widgets and their side of ipywidgets' messaging protocol (version 2, with 2.1's
/// echo_update): opens a comm per model on the `jupyter.widget` target, applies the front end's
/// `update`s and echoes them, answers `request_state`, turns `custom` clicks into handlers, and
/// answers `request_states` on `jupyter.widget.control` with `update_states`.
///
/// Thread-safety: the running cell creates widgets while the kernel's comm thread delivers
/// front-end messages, so the table of widgets is guarded by a lock and each widget guards its
/// own state. Handlers run on the comm thread, one message at a time.
public final class WidgetManager: @unchecked Sendable {
    public static let widgetTarget = "jupyter.widget"
    public static let controlTarget = "jupyter.widget.control"
    /// The message metadata every widget comm message carries.
    public static let metadata: WidgetJSON = ["version": "2.1.0"]

    private let lock = NSLock()
    private var widgets: [String: Widget] = [:]
    private var hostStorage: WidgetHost?

    public init() {}

    /// Where comm traffic goes; nil (tests, the docs generator) keeps widgets local.
    public var host: WidgetHost? {
        get { lock.withLock { hostStorage } }
        set { lock.withLock { hostStorage = newValue } }
    }

    public func widget(id: String) -> Widget? {
        lock.withLock { widgets[id] }
    }

    public var count: Int { lock.withLock { widgets.count } }

    /// Keeps `widget` and opens its comm: data `{state, buffer_paths}` with binary fields as buffers.
    func register(_ widget: Widget) {
        lock.withLock { widgets[widget.id] = widget }
        let (state, paths, buffers) = widget.fullState()
        host?.openComm(id: widget.id, target: Self.widgetTarget,
                       data: ["state": .object(state), "buffer_paths": Self.paths(paths)],
                       metadata: Self.metadata, buffers: buffers)
    }

    /// Sends `{method, state, buffer_paths}` on `widget`'s comm.
    func send(_ widget: Widget, method: String, state: [String: WidgetJSON], bufferPaths: [[String]] = [],
              buffers: [Data] = []) {
        host?.sendComm(id: widget.id, data: ["method": .string(method), "state": .object(state),
                                             "buffer_paths": Self.paths(bufferPaths)],
                       metadata: Self.metadata, buffers: buffers)
    }

    private static func paths(_ paths: [[String]]) -> WidgetJSON {
        .array(paths.map { .array($0.map(WidgetJSON.string)) })
    }

    // MARK: From the front end (called on the kernel's comm thread)

    /// A comm the front end opened: the control target is kept (it asks for every state);
    /// models created by the front end are refused, since the language makes its own.
    public func commOpened(id: String, target: String) -> Bool {
        target == Self.controlTarget
    }

    /// A comm_msg for widget `id` or for the control comm `id`.
    public func received(id: String, data: WidgetJSON, buffers: [Data]) {
        let method = data["method"]?.stringValue
        if method == "request_states" {
            answerRequestStates(on: id)
            return
        }
        guard let widget = widget(id: id) else { return }
        switch method {
        case "update":
            guard case .object(var update)? = data["state"] else { return }
            // Binary values from the front end are dropped: no model here takes bytes from it.
            if case .array(let paths)? = data["buffer_paths"] {
                for case .array(let path) in paths { if let key = path.first?.stringValue { update[key] = nil } }
            }
            let accepted = widget.applyFrontEndUpdate(update)
            guard !accepted.isEmpty else { return }
            send(widget, method: "echo_update", state: accepted)
            widget.runChangeHandlers()
        case "request_state":
            let (state, paths, buffers) = widget.fullState()
            send(widget, method: "update", state: state, bufferPaths: paths, buffers: buffers)
        case "custom":
            if data["content"]?["event"]?.stringValue == "click", case .button = widget.kind {
                widget.click()
            }
        default:
            break
        }
    }

    /// The front end closed widget `id`'s comm: forget it and run its close handlers (which
    /// may close the widgets that depend on it, such as an interaction's picture).
    public func closed(id: String) {
        lock.withLock { widgets.removeValue(forKey: id) }?.runCloseHandlers()
    }

    /// Closes `widget`'s comm from the kernel side (comm_close), and those of the Layout and
    /// style models it owns; children of a box stay open. Closing twice does nothing.
    public func close(_ widget: Widget) {
        guard lock.withLock({ widgets.removeValue(forKey: widget.id) }) != nil else { return }
        host?.closeComm(id: widget.id)
        for part in widget.parts {
            switch part.kind {
            case .layout, .style: close(part)
            default: break
            }
        }
        widget.runCloseHandlers()
    }

    /// `update_states`: every model's full state keyed by model id, buffer paths prefixed
    /// with the model id and "state", as ipywidgets' own kernel side writes them.
    private func answerRequestStates(on commID: String) {
        let all = lock.withLock { widgets.values.sorted { $0.id < $1.id } }
        var states: [String: WidgetJSON] = [:]
        var paths: [WidgetJSON] = []
        var buffers: [Data] = []
        for widget in all {
            let (state, bufferPaths, bytes) = widget.fullState()
            states[widget.id] = ["model_name": state["_model_name"] ?? .null,
                                 "model_module": state["_model_module"] ?? .null,
                                 "model_module_version": state["_model_module_version"] ?? .null,
                                 "state": .object(state)]
            paths += bufferPaths.map { .array([.string(widget.id), "state"] + $0.map(WidgetJSON.string)) }
            buffers += bytes
        }
        host?.sendComm(id: commID, data: ["method": "update_states", "states": .object(states),
                                          "buffer_paths": .array(paths)],
                       metadata: Self.metadata, buffers: buffers)
    }
}
