import Foundation
import Kernel
import Language

/// Connects the language's widgets to the kernel's comms, in both directions: the
/// language's `WidgetHost` calls become comm_open / comm_msg / comm_close through the
/// kernel's `CommManager`, and comm messages on `jupyter.widget` and
/// `jupyter.widget.control` reach the session's `WidgetManager` (on the comm thread).
/// The only place that knows both `JSONValue` and `WidgetJSON`.
final class WidgetBridge: WidgetHost, CommTargetHandler, @unchecked Sendable {
    private let comms: CommManager
    private let widgets: WidgetManager

    init(comms: CommManager, widgets: WidgetManager) {
        self.comms = comms
        self.widgets = widgets
    }

    /// Registers both widget targets and makes this bridge the widgets' host.
    func connect() {
        comms.register(target: WidgetManager.widgetTarget, handler: self)
        comms.register(target: WidgetManager.controlTarget, handler: self)
        widgets.host = self
    }

    // MARK: WidgetHost

    func openComm(id: String, target: String, data: WidgetJSON, metadata: WidgetJSON, buffers: [Data]) {
        comms.open(target: target, data: Self.kernel(data), metadata: Self.kernel(metadata), buffers: buffers, commID: id)
    }

    func sendComm(id: String, data: WidgetJSON, metadata: WidgetJSON, buffers: [Data]) {
        comms.send(CommMessage(commID: id, data: Self.kernel(data), metadata: Self.kernel(metadata), buffers: buffers))
    }

    func closeComm(id: String) {
        comms.close(commID: id)
    }

    // MARK: CommTargetHandler

    func commOpened(_ message: CommMessage, target: String) -> CommOpenDecision {
        widgets.commOpened(id: message.commID, target: target) ? .accept : .close
    }

    func commReceived(_ message: CommMessage) {
        widgets.received(id: message.commID, data: Self.language(message.data), buffers: message.buffers)
    }

    func commClosed(_ message: CommMessage) {
        widgets.closed(id: message.commID)
    }

    // MARK: JSON both ways

    static func kernel(_ json: WidgetJSON) -> JSONValue {
        switch json {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .number(let number):
            // Whole numbers go out as integers, as an IntSlider's value should read.
            if number.rounded() == number, abs(number) < 9e15 { return .int(Int(number)) }
            return number.isFinite ? .double(number) : .null
        case .string(let text): return .string(text)
        case .array(let items): return .array(items.map(kernel))
        case .object(let members): return .object(members.mapValues(kernel))
        }
    }

    static func language(_ json: JSONValue) -> WidgetJSON {
        switch json {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .number(Double(number))
        case .double(let number): return .number(number)
        case .string(let text): return .string(text)
        case .array(let items): return .array(items.map(language))
        case .object(let members): return .object(members.mapValues(language))
        }
    }
}
