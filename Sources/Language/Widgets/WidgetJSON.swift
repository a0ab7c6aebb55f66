import Foundation

/// JSON as widget state travels in comm messages (ipywidgets' "Widget messaging protocol,
/// version 2"): the language's own type, so it needs nothing from the kernel; the executable
/// converts it to and from the kernel's `JSONValue`.
public enum WidgetJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([WidgetJSON])
    case object([String: WidgetJSON])

    public subscript(key: String) -> WidgetJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// A whole number held exactly (an index, a slider position).
    public var integerValue: Int? {
        guard let number = numberValue, number.rounded() == number, abs(number) < 9e15 else { return nil }
        return Int(number)
    }
}

extension WidgetJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
                      ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
                      ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: WidgetJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, WidgetJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

/// Where the language's widgets send their comm traffic: the kernel's comm manager, through
/// the executable's adapter. Implementations are safe to call from any thread.
public protocol WidgetHost: AnyObject {
    /// comm_open on `target` with comm id `id`; `metadata` is the message metadata,
    /// `buffers` the binary frames `data`'s buffer_paths name.
    func openComm(id: String, target: String, data: WidgetJSON, metadata: WidgetJSON, buffers: [Data])
    /// comm_msg on an open comm.
    func sendComm(id: String, data: WidgetJSON, metadata: WidgetJSON, buffers: [Data])
    /// comm_close from the kernel side.
    func closeComm(id: String)
}
